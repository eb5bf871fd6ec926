// The recruiter's question bank in the browser: create a set, add a single-choice and a
// numeric question (the numeric one refused first, keeping what was typed), preview one,
// export the set as JSON and import it back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ACCOUNTS, launch, newPage, signIn, hydrated } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a recruiter builds a question set, previews, exports and imports it", async () => {
  const title = `SQL screen ${Date.now()}`;
  const { context, page } = await newPage(browser, { acceptDownloads: true });
  await signIn(page, ACCOUNTS.recruiter);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Questions" }).click();
  await page.getByRole("heading", { level: 1, name: "Question bank" }).waitFor();
  // The demo set is there.
  await page.getByRole("link", { name: "Backend engineering basics" }).waitFor();

  await page.getByRole("link", { name: "New question set" }).click();
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Tags").fill("sql, screening");
  await page.getByLabel("Difficulty").selectOption("easy");
  await page.getByRole("group", { name: "Skills" }).getByLabel("PostgreSQL").check();
  await page.getByRole("button", { name: "Create question set" }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  await page.getByRole("heading", { level: 2, name: "No questions yet" }).waitFor();

  // A single-choice question; the blank rows are left out.
  await page.getByRole("link", { name: "Add question" }).click();
  await page.getByRole("link", { name: "Single choice" }).click();
  await hydrated(page);
  await page.getByLabel("Prompt").fill("Which clause **filters groups** after aggregation?");
  await page.getByLabel("Option 1", { exact: true }).fill("WHERE");
  await page.getByLabel("Option 2", { exact: true }).fill("HAVING");
  await page.getByLabel("Option 2 is correct").check();
  await page.getByLabel("Option 3", { exact: true }).fill("ORDER BY");
  await page.getByLabel("Points").fill("2");
  await page.getByLabel("Explanation").fill("HAVING filters after GROUP BY; WHERE before.");
  await page.getByRole("button", { name: "Add question" }).click();
  await page.getByRole("heading", { level: 2, name: "1 question" }).waitFor();

  // A numeric question, refused first: the message shows and nothing typed is lost.
  await page.getByRole("link", { name: "Add question" }).click();
  await page.getByRole("link", { name: "Numeric" }).click();
  await hydrated(page);
  const prompt = "How many rows does `SELECT count(*) FROM generate_series(1, 10)` return?";
  await page.getByLabel("Prompt").fill(prompt);
  await page.getByLabel("Correct answer").fill("about one");
  await page.getByRole("button", { name: "Add question" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "The correct answer must be a number" });
  await alert.waitFor();
  assert.equal(await page.getByLabel("Prompt").inputValue(), prompt);
  assert.equal(await page.getByLabel("Correct answer").inputValue(), "about one");
  await page.getByLabel("Correct answer").fill("1");
  await page.getByRole("button", { name: "Add question" }).click();
  await page.getByRole("heading", { level: 2, name: "2 questions" }).waitFor();
  const rows = page.locator("table.question-list tbody tr");
  assert.deepEqual(
    await rows.locator("td:nth-child(3)").allTextContents(),
    ["Single choice", "Numeric"],
  );

  // The preview shows the question as the candidate will, and the answer for staff.
  await page.getByRole("link", { name: "Which clause filters groups after aggregation?" }).click();
  await page.getByRole("heading", { level: 2, name: "As the candidate sees it" }).waitFor();
  await page.locator(".question-prompt strong", { hasText: "filters groups" }).waitFor();
  const radios = page.locator(".question-view input[type=radio]");
  assert.equal(await radios.count(), 3);
  assert.ok(await radios.first().isDisabled());
  assert.equal(await page.locator(".correct-answer").textContent(), "HAVING");
  await page.getByText("HAVING filters after GROUP BY; WHERE before.").waitFor();

  // Export as JSON, then import the file back as a new set.
  await page.getByRole("link", { name: "← Back to the question set" }).click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export JSON" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^question-set-sql-screen-\d+\.json$/);
  const exported = readFileSync(await download.path());
  const file = JSON.parse(exported.toString("utf8"));
  assert.equal(file.format, "are.question_set.v1");
  assert.equal(file.title, title);
  assert.deepEqual(file.skills, ["PostgreSQL"]);
  assert.deepEqual(file.questions.map((q) => q.kind), ["single_choice", "numeric"]);
  assert.equal(file.questions[1].answer, 1);

  const original = page.url();
  await page.goto("/questions");
  await page.getByLabel("Question set file").setInputFiles({
    name: download.suggestedFilename(),
    mimeType: "application/json",
    buffer: exported,
  });
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  assert.notEqual(page.url(), original);
  await page.getByRole("heading", { level: 2, name: "2 questions" }).waitFor();
  await page.getByRole("link", { name: prompt.replaceAll("`", "") }).waitFor();

  // Both copies are on the list.
  await page.goto("/questions?q=" + encodeURIComponent(title));
  assert.equal(await page.getByRole("link", { name: title }).count(), 2);
  await context.close();
});
