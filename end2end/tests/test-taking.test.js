// The whole assessment flow: a recruiter imports a question set with every question
// type, builds and publishes an assessment from it and invites a candidate; the
// candidate (in a separate browser context) answers, reloads, goes offline and back, and
// submits; the recruiter grades the text answers and sees the final score.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNTS, launch, newPage, signIn, hydrated, waitForEmail, checkPage, screenshot } from "./helpers.js";

const choice = (id, text, correct = false) => ({ id, text, correct });

function questionSet(title) {
  const q = (kind, prompt_md, fields, points = 1) => ({ kind, prompt_md, points, ...fields });
  return {
    format: "are.question_set.v1",
    title,
    difficulty: "medium",
    questions: [
      q("single_choice", "Q1 Which number is prime?", { options: [choice(1, "6"), choice(2, "7", true), choice(3, "9")] }),
      q("multiple_choice", "Q2 Which are SQL keywords?", {
        options: [choice(1, "SELECT", true), choice(2, "FETCH", true), choice(3, "GRAB")],
      }),
      q("true_false", "Q3 PostgreSQL supports JSON.", { correct: true }),
      q("numeric", "Q4 What is six times seven?", { answer: 42, tolerance: 0 }),
      q("short_text", "Q5 Name a sorting algorithm.", { model_answer: "Quicksort" }),
      q("long_text", "Q6 Explain what an index is for.", { model_answer: "Faster reads" }, 4),
      q("code", "Q7 Write hello world.", { language: "Rust", starter_code: "fn main() {\n}\n" }),
    ],
  };
}

/// The value of the option of `select` whose text contains `text`.
async function optionValue(select, text) {
  return select.locator("option", { hasText: text }).first().getAttribute("value");
}

/// Does something and waits until the test page's save of it was acknowledged.
async function saved(page, action) {
  const acknowledged = page.waitForResponse((r) => r.url().endsWith("/api/test/save") && r.status() === 200);
  await action();
  await acknowledged;
}

async function islandReady(page) {
  await page.locator(".test-runner[data-ready=true]").waitFor();
}

/// Presses Alt+`key`, the access key of Chromium on Linux and Windows, as the browser gets
/// it from the keyboard: with the key's text, which access keys go by (Playwright's own
/// keyboard sends no text while Alt is held).
async function pressAccessKey(page, key) {
  const cdp = await page.context().newCDPSession(page);
  const common = { modifiers: 1, key, code: `Key${key.toUpperCase()}`, windowsVirtualKeyCode: key.toUpperCase().charCodeAt(0) };
  await cdp.send("Input.dispatchKeyEvent", { type: "keyDown", text: key, unmodifiedText: key, ...common });
  await cdp.send("Input.dispatchKeyEvent", { type: "keyUp", ...common });
  await cdp.detach();
}

/// Waits until the focus is on the element `id`.
async function focusedOn(page, id) {
  await page.waitForFunction((id) => document.activeElement?.id === id, id, { timeout: 5000 });
}

async function goToQuestion(page, number) {
  await page.getByRole("navigation", { name: "Questions" }).getByRole("button", { name: new RegExp(`^Question ${number},`) }).click();
  await page.getByRole("heading", { level: 2, name: new RegExp(`^Question ${number} of 7`) }).waitFor();
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a candidate takes a test through a reload and an outage, and the recruiter grades it", async () => {
  const stamp = Date.now();
  const setTitle = `Every kind ${stamp}`;
  const title = `Engineering screen ${stamp}`;
  const name = `Grace Hopper ${stamp}`;
  const email = `grace.${stamp}@navy.example`;
  const { context: staff, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);

  // A question set with every type, imported as a file.
  await page.goto("/questions");
  await page.getByLabel("Question set file").setInputFiles({
    name: "every-kind.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(questionSet(setTitle))),
  });
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByRole("heading", { level: 1, name: setTitle }).waitFor();

  // The assessment: each question of the set, in order; then published.
  await page.goto("/assessments/new");
  await hydrated(page);
  await page.getByLabel("Requisition").selectOption({ label: "Demo: operations analyst" });
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Time limit (minutes)").fill("30");
  await page.getByLabel("Pass mark (%)").fill("70");
  await page.getByRole("button", { name: "Create assessment" }).click();
  await page.getByRole("heading", { level: 1, name: `Edit: ${title} (version 1)` }).waitFor();
  for (let n = 1; n <= 7; n++) {
    await hydrated(page);
    const select = page.getByLabel("A question", { exact: true });
    await select.selectOption(await optionValue(select, `${setTitle} · Q${n} `));
    await page.getByRole("button", { name: "Add question" }).click();
    await page.getByText(`${n} question${n === 1 ? "" : "s"} per candidate`).waitFor();
  }
  await hydrated(page);
  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByRole("heading", { level: 1, name: title, exact: true }).waitFor();
  await page.getByText("Published", { exact: true }).waitFor();
  const assessmentPath = new URL(page.url()).pathname;

  // The candidate, invited from the assessment's page.
  await page.goto("/candidates/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Add candidate" }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await page.goto(`${assessmentPath}?q=${encodeURIComponent(name)}`);
  await hydrated(page);
  const candidate = page.getByLabel("Candidate", { exact: true });
  await candidate.selectOption(await optionValue(candidate, name));
  await page.getByLabel("Your message (included in the email)").fill("Good luck!");
  await page.getByRole("button", { name: "Send invite" }).click();
  const invite = (await waitForEmail(email)).replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const link = new URL(invite.match(/https?:\/\/\S+\/test\/[A-Za-z0-9_-]{43}/)[0]).pathname;

  // The candidate, in a browser of their own: consent and start.
  const { context: own, page: test } = await newPage(browser);
  await test.goto(link);
  await test.getByRole("heading", { level: 1, name: title }).waitFor();
  await test.getByRole("heading", { level: 2, name: "What is monitored" }).waitFor();
  await test.getByLabel("I have read the above and agree to the monitoring described.").check();
  await test.getByRole("button", { name: "Start the test" }).click();
  await islandReady(test);
  await test.getByRole("timer").waitFor();
  // The question's heading is the first line of its card, with no gap above it.
  const gap = await test.locator("#question-0").evaluate((section) =>
    section.querySelector("h2").getBoundingClientRect().top - section.getBoundingClientRect().top);
  assert.ok(gap <= 22, `the heading starts ${gap}px below the card's top, its padding and border`);
  assert.match(await test.getByRole("timer").textContent(), /^(30:00|29:5\d)$/);

  // Two answers, saved as they are given.
  await saved(test, () => test.getByLabel("7", { exact: true }).check());
  await goToQuestion(test, 2);
  await saved(test, () => test.getByLabel("SELECT").check());
  await saved(test, () => test.getByLabel("FETCH").check());
  await test.locator(".save-status.saved").waitFor();

  // A reload resumes with both.
  await test.reload();
  await islandReady(test);
  assert.ok(await test.getByLabel("7", { exact: true }).isChecked());
  await goToQuestion(test, 2);
  assert.ok(await test.getByLabel("SELECT").isChecked());
  assert.ok(await test.getByLabel("FETCH").isChecked());
  assert.ok(!(await test.getByLabel("GRAB").isChecked()));

  // Offline: two more answers are kept on the device, then sent when the connection returns.
  await own.setOffline(true);
  await goToQuestion(test, 3);
  await test.getByLabel("True").check();
  await test.locator(".save-status.offline").waitFor();
  assert.match(await test.locator(".save-status").textContent(), /Offline — your answers are kept on this device/);
  await goToQuestion(test, 4);
  await test.getByRole("textbox", { name: "Your answer (a number)" }).fill("42");
  await test.waitForTimeout(800);
  await own.setOffline(false);
  await test.locator(".save-status.saved").waitFor({ timeout: 15000 });
  await test.reload();
  await islandReady(test);
  await goToQuestion(test, 3);
  assert.ok(await test.getByLabel("True").isChecked(), "the offline answer reached the server");
  await goToQuestion(test, 4);
  assert.equal(await test.getByRole("textbox", { name: "Your answer (a number)" }).inputValue(), "42");

  // A crash before a save reached the server: the answer waits on the device, and the page
  // sends it when it opens again.
  await goToQuestion(test, 5);
  await test.route("**/api/test/save", (route) => route.abort());
  await test.getByRole("textbox", { name: "Your answer", exact: true }).fill("Merge sort");
  await test.locator(".save-status.offline").waitFor();
  await test.unroute("**/api/test/save");
  const resent = test.waitForResponse((r) => r.url().endsWith("/api/test/save") && r.status() === 200);
  await test.reload();
  await resent;
  await test.locator(".save-status.saved").waitFor();
  await test.reload();
  await islandReady(test);
  await goToQuestion(test, 5);
  assert.equal(await test.getByRole("textbox", { name: "Your answer", exact: true }).inputValue(), "Merge sort");

  // The essay; the code question is left unanswered.
  await goToQuestion(test, 6);
  await saved(test, () => test.getByRole("textbox", { name: "Your answer", exact: true }).fill("An index makes lookups fast at the cost of writes."));
  await screenshot(test, "test-page");

  // Submitting asks first, in a modal dialog that lists what is unanswered, with the focus
  // on the choice that loses nothing. Escape and "Keep working" close it and give the
  // focus back to Submit; "Submit now" hands the test in. The link starts nothing again.
  const submit = test.getByRole("button", { name: "Submit test" });
  const dialog = test.getByRole("dialog", { name: "Submit your test?" });
  await submit.click();
  await dialog.getByText("Not answered yet: question 7.").waitFor();
  assert.ok(await dialog.evaluate((d) => d.matches(":modal")), "the confirmation is modal: the page behind is inert");
  await focusedOn(test, "confirm-cancel");
  assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)));
  await test.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  await focusedOn(test, "test-submit");
  await test.keyboard.press("Enter");
  await dialog.waitFor();
  await focusedOn(test, "confirm-cancel");
  await dialog.getByRole("button", { name: "Keep working" }).click();
  await dialog.waitFor({ state: "hidden" });
  await focusedOn(test, "test-submit");
  await submit.click();
  await dialog.waitFor();
  await checkPage(test); // the dialog, which no page load shows
  await dialog.getByRole("button", { name: "Submit now" }).click();
  await test.getByText("Your answers have been submitted. Thank you!").waitFor();
  await test.goto(link);
  await test.getByText("Your answers have been submitted. Thank you!").waitFor();
  assert.equal(await test.getByRole("button", { name: "Start the test" }).count(), 0);
  await own.close();

  // The recruiter grades the two text answers and sees the final score.
  await page.goto(`${assessmentPath}/results`);
  await page.getByRole("link", { name }).click();
  await page.getByRole("heading", { level: 1, name: `${name} · ${title}` }).waitFor();
  await page.getByText("4 of 10 points").waitFor();
  await page.getByText("2 answers to grade").waitFor();
  await screenshot(page, "grading");
  const sessionId = new URL(page.url()).pathname.split("/").pop();
  // "Next answer to grade" leads to the first answer waiting, by its access key (Alt+N in
  // Chromium) or a click, and puts the focus on its heading.
  const next = page.getByRole("link", { name: /^Next answer to grade: question \d+$/ });
  assert.equal(await next.getAttribute("accesskey"), "n");
  await page.getByText("Shortcut: Alt+N (Alt+Shift+N in Firefox, Control+Option+N on a Mac).").waitFor();
  const grades = [
    [/^Question \d+ · Short text$/, "1", "5 of 10 points"],
    [/^Question \d+ · Essay$/, "3.5", "8.5 of 10 points"],
  ];
  for (const [index, [heading, score, total]] of grades.entries()) {
    await hydrated(page);
    const section = page.getByRole("region", { name: heading });
    const target = (await next.getAttribute("href")).slice(1);
    assert.equal(await section.getByRole("heading", { level: 2 }).getAttribute("id"), target);
    if (index === 0) await pressAccessKey(page, "n");
    else await next.click();
    await focusedOn(page, target);
    await section.getByLabel(/^Score/).fill(score);
    await section.getByLabel("Comment").fill("Reviewed");
    await section.getByRole("button", { name: "Save grade" }).click();
    await page.getByText(total).waitFor();
  }
  await page.locator(".totals", { hasText: "85%" }).waitFor();
  assert.equal(await page.getByText("answers to grade").count(), 0);
  // Nothing left here: the link goes to the next session waiting (another test's), if any.
  const onward = page.getByRole("link", { name: /^Next answer to grade: / });
  if ((await onward.count()) > 0) {
    const href = await onward.getAttribute("href");
    assert.match(href, /^\/assessments\/sessions\/[0-9a-f-]{36}#q-\d+$/);
    assert.ok(!href.includes(sessionId), "not this session again");
  } else {
    await page.getByText("No answers are waiting for you to grade.").waitFor();
  }
  await staff.close();
});
