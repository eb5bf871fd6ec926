// WCAG 1.4.10 (reflow): at 320 CSS pixels wide the main pages never scroll sideways. A
// part that needs two dimensions (the board's open stages) scrolls inside its own box.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNTS, launch, newPage, signIn, hydrated, waitForEmail } from "./helpers.js";

const WIDTH = 320;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/// Fails when the page is wider than the viewport, naming the elements that stick out
/// furthest (those that make the page scroll, not those inside a box of their own that
/// scrolls).
async function assertReflows(page, what) {
  const found = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return null;
    const clipped = (element) => {
      for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
        if (getComputedStyle(e).overflowX !== "visible") return true;
      }
      return false;
    };
    const describe = (e) => {
      const classes = [...e.classList].map((c) => `.${c}`).join("");
      return `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${classes}`;
    };
    const wide = [...document.body.querySelectorAll("*")]
      .map((e) => ({ e, right: e.getBoundingClientRect().right }))
      .filter(({ e, right }) => right > width + 0.5 && !clipped(e))
      .sort((a, b) => b.right - a.right);
    // The deepest of those reaching furthest: the parents only follow it.
    const furthest = wide.filter(({ right }) => right === wide[0]?.right);
    const innermost = furthest.filter(({ e }) => !furthest.some((other) => other.e !== e && e.contains(other.e)));
    return {
      scrollWidth,
      width,
      elements: innermost.slice(0, 3).map(({ e, right }) => {
        const path = [];
        for (let p = e; p && p !== document.body; p = p.parentElement) path.unshift(describe(p));
        return `${path.join(" > ")} (right edge at ${Math.round(right)} px, ${Math.round(e.getBoundingClientRect().width)} px wide)`;
      }),
    };
  });
  assert.equal(
    found,
    null,
    found && `${what} (${page.url()}) is ${found.scrollWidth} px wide at ${found.width} px: ${found.elements.join("; ")}`,
  );
}

/// The value of the option of `select` whose text contains `text`.
async function optionValue(select, text) {
  return select.locator("option", { hasText: text }).first().getAttribute("value");
}

test("at 320 px wide the main pages need no sideways scrolling", async () => {
  const stamp = Date.now();
  const name = `Mary Jackson ${stamp}`;
  const email = `mary.${stamp}@nasa.example`;
  const viewport = { width: WIDTH, height: 640 };
  const { context, page } = await newPage(browser, { viewport });
  await page.goto("/login");
  await assertReflows(page, "the sign-in page");
  await signIn(page, ACCOUNTS.recruiter);
  await assertReflows(page, "the dashboard");

  for (const [path, heading, what] of [
    ["/requisitions", "Requisitions", "the requisitions"],
    ["/candidates", "Candidates", "the candidates"],
    ["/assessments", "Assessments", "the assessments"],
  ]) {
    await page.goto(path);
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    await assertReflows(page, what);
  }

  // A candidate on the board of the demo requisition, invited to its demo assessment.
  await page.goto("/candidates/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Add candidate" }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await hydrated(page);
  await page.getByLabel("Requisition").selectOption({ label: "Demo: operations analyst" });
  await page.getByRole("button", { name: "Add to pipeline" }).click();
  await page.getByRole("status").getByText("Added to the pipeline of Demo: operations analyst.").waitFor();
  await assertReflows(page, "a candidate's profile");

  await page.getByRole("link", { name: "Demo: operations analyst" }).click();
  await page.getByRole("heading", { level: 1, name: "Pipeline: Demo: operations analyst" }).waitFor();
  await assertReflows(page, "a board");
  await hydrated(page);
  await page.getByLabel(name, { exact: true }).check();
  const assessment = page.getByLabel("Assessment to invite the selected candidates to");
  await assessment.selectOption(await optionValue(assessment, "Demo: aptitude check"));
  await page.getByRole("button", { name: "Invite selected to the assessment" }).click();
  await page.getByRole("status").getByText(/^Invited .+ to “Demo: aptitude check”\. The test link expires in 7 days, on /).waitFor();
  await assertReflows(page, "a board after an invitation");

  // The candidate's test page: the consent, a question, the end.
  const invite = (await waitForEmail(email)).replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const link = new URL(invite.match(/https?:\/\/\S+\/test\/[A-Za-z0-9_-]{43}/)[0]).pathname;
  const own = await newPage(browser, { viewport });
  await own.page.goto(link);
  await own.page.getByRole("heading", { level: 1, name: "Demo: aptitude check" }).waitFor();
  await assertReflows(own.page, "the test's first page");
  await own.page.getByLabel("I have read the above and agree to the monitoring described.").check();
  await own.page.getByRole("button", { name: "Start the test" }).click();
  await own.page.locator(".test-runner[data-ready=true]").waitFor();
  await assertReflows(own.page, "a question of the test");
  await own.page.getByRole("button", { name: "Submit test" }).click();
  await own.page.getByRole("dialog", { name: "Submit your test?" }).getByRole("button", { name: "Submit now" }).click();
  await own.page.getByText("Your answers have been submitted. Thank you!").waitFor();
  await assertReflows(own.page, "the test's last page");
  await own.context.close();

  // Its grading page, from the assessment's results.
  await page.goto("/assessments");
  await page.getByRole("link", { name: "Demo: aptitude check" }).first().click();
  await page.getByRole("heading", { level: 1, name: "Demo: aptitude check" }).waitFor();
  await page.goto(`${new URL(page.url()).pathname}/results`);
  await page.getByRole("link", { name }).click();
  await page.getByRole("heading", { level: 1, name: `${name} · Demo: aptitude check` }).waitFor();
  await assertReflows(page, "a grading page");
  await context.close();

  const admin = await newPage(browser, { viewport });
  await signIn(admin.page, ACCOUNTS.admin);
  await admin.page.goto("/admin/audit");
  await admin.page.getByRole("heading", { level: 1 }).waitFor();
  await assertReflows(admin.page, "the audit log");
  await admin.context.close();
});
