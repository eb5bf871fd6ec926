// Shared by the browser tests: the browser, the app's address, the demo accounts.
import { chromium } from "playwright-core";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkedBrowser } from "./checks.js";

export const BASE_URL = process.env.ARE_E2E_BASE_URL ?? "http://127.0.0.1:3000";
export const MAIL_DIR = process.env.ARE_E2E_MAIL_DIR ?? "../.are/mail";

export const ACCOUNTS = {
  admin: { email: "admin@acme.example", password: "acme-admin-password", role: "Admin" },
  recruiter: { email: "recruiter@acme.example", password: "acme-recruiter-password", role: "Recruiter" },
  manager: { email: "manager@acme.example", password: "acme-manager-password", role: "Hiring manager" },
  interviewer: { email: "interviewer@acme.example", password: "acme-interviewer-password", role: "Interviewer" },
};

/// The browser every test uses: each page it shows is checked for accessibility (axe-core)
/// and its HTML for validity (the Nu HTML Checker), see `checks.js`.
export async function launch(extraArgs = []) {
  return checkedBrowser(await launchUnchecked(extraArgs));
}

export async function launchUnchecked(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    // As root Chromium needs --no-sandbox; the rest keep it off the (closed) network.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ baseURL: BASE_URL, ...options });
  const page = await context.newPage();
  return { context, page };
}

/// Waits until the islands on the page have hydrated (the forms are live).
export async function hydrated(page) {
  await page.locator("form[data-hydrated=true]").first().waitFor();
}

export async function signIn(page, account) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
}

/// The newest email in the mail folder whose text contains `needle`, waiting for it.
export async function waitForEmail(needle, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let files = [];
    try {
      // Newest first: directory order says nothing about when a file was written.
      files = readdirSync(MAIL_DIR)
        .filter((f) => f.endsWith(".eml"))
        .map((f) => ({ f, at: statSync(join(MAIL_DIR, f)).mtimeMs }))
        .sort((a, b) => b.at - a.at)
        .map(({ f }) => f);
    } catch {
      // The folder appears with the first email (or a file went while being read).
    }
    for (const file of files) {
      const text = readFileSync(join(MAIL_DIR, file), "utf8");
      if (text.includes(needle)) return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no email containing ${needle} within ${timeoutMs} ms`);
}

export function inviteLink(email) {
  const text = email.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const match = text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/);
  if (!match) throw new Error("no invitation link in the email");
  return new URL(match[0]).pathname;
}

/// Waits until the page shows `text` (a string, whole, or a RegExp) as its notice (the
/// status a form's work reports after the page reloads) and has put the focus on it.
export async function noticeFocused(page, text) {
  const notice = page.getByRole("status").filter({ hasText: text });
  await notice.waitFor();
  const matches = typeof text === "string" ? (t) => t === text : (t) => text.test(t);
  const deadline = Date.now() + 5000;
  let focused;
  while (Date.now() < deadline) {
    focused = await page.evaluate(() => {
      const e = document.activeElement;
      return e?.getAttribute("role") === "status" ? e.textContent : null;
    });
    if (focused !== null && matches(focused)) return focused;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the notice ${text} is shown but not focused (the focus is on a status: ${focused})`);
}

export { checkPage } from "./checks.js";

/// Creates a requisition with Hugo as its hiring manager, open from the start, and ends on
/// its page.
export async function openRequisition(page, title) {
  await page.goto("/requisitions/new");
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Hiring manager").selectOption({ label: "Hugo Manager (hiring manager)" });
  await page.getByRole("radio", { name: "Open", exact: true }).check();
  await page.getByRole("button", { name: "Create requisition" }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
}

/// Adds a candidate and puts them into the pipeline of the requisition `title`; ends on
/// their profile, which says so.
export async function addToPipeline(page, name, email, title) {
  await page.goto("/candidates/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Add candidate" }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await hydrated(page);
  await page.getByLabel("Requisition").selectOption({ label: title });
  await page.getByRole("button", { name: "Add to pipeline" }).click();
  await noticeFocused(page, `Added to the pipeline of ${title}.`);
}

// The main pages as a person sees them, saved by the tests that reach them (the README
// shows copies of a few, from end2end/screenshots/): target/screenshots/<name>.png.
export const SCREENSHOT_DIR = process.env.ARE_E2E_SCREENSHOTS ?? "../target/screenshots";
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}
