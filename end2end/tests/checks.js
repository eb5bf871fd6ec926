// The checks every page of every browser test goes through (issue 16, item 9):
// - axe-core (WCAG 2.0 and 2.1, levels A and AA) on each page as it is once loaded, and on
//   any page a test asks for with `checkPage` (a state reached without a new document);
//   a page that navigated away before its check ended, or that ran without JavaScript, is
//   checked afterwards on its HTML as the server sent it, served again in a page of its own;
// - the Nu HTML Checker (npm vnu-jar, Java) on the HTML the server sent for each page, in
//   one batch when the browser closes, ignoring nothing (the markup Leptos writes that the
//   standard does not allow is mended by the server: src/html.rs).
// A test's violations fail it when it closes its context (or, for a context left open,
// when the file's browser closes), each with its rule, page and elements.
import axe from "axe-core";
import { execFile } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const VNU_JAR = createRequire(import.meta.url).resolve("vnu-jar/build/dist/vnu.jar");

/// A problem fails the test that saw it; with `ARE_E2E_PAGE_CHECKS=report` it is only
/// reported, on standard error and in target/page-checks.txt (to survey a change's findings
/// in one run).
const ENFORCE = process.env.ARE_E2E_PAGE_CHECKS !== "report";
function found(problems) {
  if (problems.length === 0) return;
  const text = report(problems);
  if (ENFORCE) throw new Error(text);
  console.error(text);
  mkdirSync("../target", { recursive: true });
  appendFileSync("../target/page-checks.txt", `${text}\n`);
}

/// Wraps `browser` so that every page of every context it makes is checked.
export function checkedBrowser(browser) {
  const state = { browser, documents: [], contexts: new Set(), unreported: [] };
  const newContext = browser.newContext.bind(browser);
  browser.__newUncheckedContext = newContext;
  browser.newContext = async (options = {}) => {
    const context = await newContext(options);
    watchContext(state, context, options.javaScriptEnabled !== false);
    return context;
  };
  const close = browser.close.bind(browser);
  browser.close = async (...args) => {
    const problems = [];
    for (const context of [...state.contexts]) {
      problems.push(...(await settle(state, context)));
    }
    problems.push(...state.unreported.splice(0));
    problems.push(...(await validate(state.documents)));
    await close(...args);
    found(problems);
  };
  return browser;
}

/// Runs axe-core on the page now (for a state a test reached without loading a document)
/// and fails at once on a violation.
export async function checkPage(page) {
  const violations = await runAxe(page);
  found(violations);
}

function watchContext(state, context, javaScript) {
  const watch = { pending: new Set(), violations: [], missed: [], documents: new Map() };
  context.__a11y = watch;
  state.contexts.add(context);
  const track = (promise) => {
    watch.pending.add(promise);
    promise.finally(() => watch.pending.delete(promise));
  };
  context.on("response", (response) => track(recordDocument(state, watch, response)));
  const watchPage = (page) => {
    page.on("load", () => {
      const url = page.url();
      if (!url.startsWith("http")) return;
      if (!javaScript) {
        watch.missed.push(url);
        return;
      }
      track(
        runAxe(page).then(
          (violations) => watch.violations.push(...violations),
          () => watch.missed.push(url),
        ),
      );
    });
  };
  context.on("page", watchPage);
  const close = context.close.bind(context);
  context.close = async (...args) => {
    const problems = await settle(state, context);
    await close(...args);
    found(problems);
  };
}

/// Keeps the HTML the server sent for a page (a main frame's document).
async function recordDocument(state, watch, response) {
  const request = response.request();
  if (request.resourceType() !== "document" || response.frame().parentFrame() !== null) return;
  if (!(response.headers()["content-type"] ?? "").startsWith("text/html")) return;
  if (response.status() >= 300 && response.status() < 400) return;
  let html;
  try {
    html = await response.text();
  } catch {
    return; // the page went before its body was read
  }
  const url = response.url();
  watch.documents.set(url, html);
  state.documents.push({ url, html });
}

/// Waits for the context's checks, checks again the pages missed, and hands over (once)
/// what they found.
async function settle(state, context) {
  const watch = context.__a11y;
  if (!watch) return [];
  while (watch.pending.size > 0) await Promise.allSettled([...watch.pending]);
  state.contexts.delete(context);
  const missed = [...new Set(watch.missed.splice(0))];
  for (const url of missed) {
    // Documents are kept by the address the server answered, which has no fragment.
    let html = watch.documents.get(url.split("#")[0]);
    if (html === undefined && !url.startsWith("about:") && !url.startsWith("data:")) {
      // Left before its body was read: asked for again, as the same signed-in person.
      html = await refetch(context, url);
      if (html !== undefined) state.documents.push({ url: url.split("#")[0], html });
    }
    if (html !== undefined) watch.violations.push(...(await replay(state, url, html)));
    else if (!url.startsWith("about:") && !url.startsWith("data:")) {
      watch.violations.push({ kind: "axe-core", url, rule: "not checked", message: "the page was left before its check and could not be read again", where: "" });
    }
  }
  return dedupe(watch.violations.splice(0));
}

/// The HTML page at `url` as the context's cookies get it now (`undefined` when it is not one).
/// A refusal (a 403 or 404 a test opens on purpose) is a page too and is checked; a link
/// used up meanwhile is checked as the page it answers now. A redirect or a server error
/// is not a page to check: the test's page is reported "not checked".
async function refetch(context, url) {
  try {
    const response = await context.request.get(url.split("#")[0], { maxRedirects: 0 });
    const status = response.status();
    const page = (status >= 200 && status < 300) || (status >= 400 && status < 500);
    if (!page || !(response.headers()["content-type"] ?? "").startsWith("text/html")) return undefined;
    return await response.text();
  } catch {
    return undefined;
  }
}

/// axe-core's violations on the page as it is.
async function runAxe(page) {
  const url = page.url();
  // A plain-text answer (a health check, a download shown inline) is no HTML page.
  if (!String(await page.evaluate(() => document.contentType)).includes("html")) return [];
  // Evaluated by the browser's debugging protocol, which the page's CSP does not govern.
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axe.source);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    AXE_TAGS,
  );
  return result.violations.map((v) => ({
    kind: "axe-core",
    url,
    rule: v.id,
    message: v.help,
    where: v.nodes.map((n) => n.target.join(" ")).join(", "),
  }));
}

/// axe-core on `html` served again at `url` (with the server's styles, without its scripts:
/// nothing may change the page or leave it) in a page of its own.
async function replay(state, url, html) {
  const context = await state.browser.__newUncheckedContext();
  try {
    const page = await context.newPage();
    await page.route("**/*", (route) => {
      const request = route.request();
      if (request.resourceType() === "document") {
        if (request.url() !== url) return route.abort();
        // (axe-core runs all the same: the debugging protocol is not bound by the CSP)
        const headers = { "content-security-policy": "script-src 'none'" };
        return route.fulfill({ status: 200, contentType: "text/html", headers, body: html });
      }
      return ["script", "fetch", "xhr"].includes(request.resourceType()) ? route.abort() : route.continue();
    });
    await page.goto(url);
    return await runAxe(page);
  } catch (error) {
    return [{ kind: "axe-core", url, rule: "not checked", message: String(error).split("\n")[0], where: "the page as the server sent it" }];
  } finally {
    await context.close();
  }
}

/// The Nu HTML Checker on the documents, one per page (kept the first two of each path
/// shape: ids and numbers aside), in one run: the messages not the framework's.
async function validate(documents) {
  const kept = [];
  const seen = new Map();
  for (const doc of documents) {
    const u = new URL(doc.url);
    const shape = u.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ":id").replace(/\/[A-Za-z0-9_-]{20,}/g, "/:token").replace(/\d+/g, "0") +
      "?" + [...u.searchParams.keys()].sort().join("&");
    const count = seen.get(shape) ?? 0;
    if (count >= 2) continue;
    seen.set(shape, count + 1);
    kept.push(doc);
  }
  documents.length = 0;
  if (kept.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), "are-vnu-"));
  try {
    const files = kept.map((doc, i) => {
      const file = join(dir, `${i}.html`);
      writeFileSync(file, doc.html);
      return file;
    });
    const output = await new Promise((resolve, reject) => {
      execFile(
        "java",
        ["-jar", VNU_JAR, "--errors-only", "--exit-zero-always", "--format", "json", ...files],
        { maxBuffer: 64 * 1024 * 1024 },
        (error, _stdout, stderr) => (error ? reject(error) : resolve(stderr)),
      );
    });
    const messages = JSON.parse(output).messages ?? [];
    return messages
      .map((m) => {
        const index = Number((m.url ?? "").match(/(\d+)\.html$/)?.[1]);
        return {
          kind: "Nu HTML Checker",
          url: kept[index]?.url ?? m.url,
          rule: `line ${m.lastLine}`,
          message: m.message,
          where: (m.extract ?? "").replace(/\s+/g, " "),
        };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function dedupe(problems) {
  const seen = new Set();
  return problems.filter((p) => {
    const key = `${p.kind} ${p.url} ${p.rule} ${p.where}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function report(problems) {
  const lines = dedupe(problems).map((p) => `- ${p.kind}: ${p.rule} (${p.message}) on ${p.url}: ${p.where}`);
  return `${lines.length} accessibility or HTML problem(s):\n${lines.join("\n")}`;
}
