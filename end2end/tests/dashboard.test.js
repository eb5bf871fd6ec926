// The dashboard as a work queue: a test link about to expire unstarted appears on the
// recruiter's dashboard, opens the assessment where it can be dealt with, and leaves the
// queue once revoked; the activity reads as sentences with the action's code beside.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNTS, launch, newPage, signIn, hydrated, noticeFocused, screenshot } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a test link expiring unstarted is listed until it is dealt with", async () => {
  const stamp = Date.now();
  const name = `Katherine Johnson ${stamp}`;
  const { context, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);
  const expiring = page.getByRole("region", { name: /^Test links expiring unstarted/ });
  await expiring.waitFor();
  assert.equal(await expiring.getByText(name).count(), 0);

  await page.goto("/candidates/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(`katherine.${stamp}@nasa.example`);
  await page.getByRole("button", { name: "Add candidate" }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();

  // Invited to the demo assessment with a link valid for one day.
  await page.goto("/assessments");
  await page.getByRole("link", { name: "Demo: aptitude check" }).first().click();
  // The candidate is found as one types: the suggestion leads to the invite form with
  // them chosen.
  await hydrated(page);
  const search = page.getByRole("combobox", { name: "Find a candidate by name or email" });
  await search.pressSequentially(name, { delay: 10 });
  const suggestion = page.getByRole("option", { name: new RegExp(`^${name} <`) });
  await suggestion.waitFor();
  await search.press("ArrowDown");
  assert.equal(await search.getAttribute("aria-activedescendant"), await suggestion.getAttribute("id"));
  await search.press("Enter");
  await page.waitForURL(/\?q=.*#invite$/);
  await hydrated(page);
  assert.match(
    await page.getByLabel("Candidate", { exact: true }).evaluate((s) => s.selectedOptions[0].textContent),
    new RegExp(`^${name} <`),
  );
  await page.getByLabel("Link valid for (days)").fill("1");
  await page.getByRole("button", { name: "Send invite" }).click();
  await noticeFocused(page, new RegExp(`^Invited ${name} to “Demo: aptitude check”\\. The test link expires in 1 day, on \\w{3} \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2} \\S+\\.$`));
  await page.getByRole("row", { name: new RegExp(name) }).getByText("Sent, not started").waitFor();

  // On the dashboard, with its count, linking to the assessment.
  await page.goto("/");
  const item = expiring.getByRole("link", { name: new RegExp(name) });
  await item.waitFor();
  await screenshot(page, "dashboard");
  const heading = await expiring.getByRole("heading").textContent();
  assert.match(heading, /Test links expiring unstarted \d+/);
  await item.click();
  await page.getByRole("heading", { level: 1, name: "Demo: aptitude check" }).waitFor();

  // Revoked: off the queue.
  await hydrated(page);
  await page.getByRole("row", { name: new RegExp(name) }).getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("row", { name: new RegExp(name) }).getByText("Revoked").waitFor();
  await page.goto("/");
  await expiring.waitFor();
  assert.equal(await expiring.getByText(name).count(), 0);

  // The activity says what happened, in words, with the code beside.
  const activity = page.getByRole("region", { name: "Your recent activity" });
  await activity.getByText("Rita Recruiter revoked a link to take Demo: aptitude check").first().waitFor();
  await activity.getByText("assessment.invite_revoked").first().waitFor();
  await context.close();
});
