// A recruiter builds an assessment from the demo question set, publishes it, invites a
// candidate from the pipeline board (which says whom and until when), finds the invite
// email, then resends and revokes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ACCOUNTS, MAIL_DIR, launch, newPage, signIn, hydrated, noticeFocused } from "./helpers.js";

/// The texts (soft line breaks undone) of the emails to `address`, once there are `count`.
async function emailsTo(address, count, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let files = [];
    try {
      files = readdirSync(MAIL_DIR).filter((f) => f.endsWith(".eml"));
    } catch {}
    const texts = files
      .map((f) => readFileSync(join(MAIL_DIR, f), "utf8").replace(/=\r?\n/g, "").replace(/=3D/g, "="))
      .filter((text) => text.includes(address));
    if (texts.length >= count) return texts;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`fewer than ${count} emails to ${address} within ${timeoutMs} ms`);
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("an assessment drawn from the demo set is published and sent from the board", async () => {
  const stamp = Date.now();
  const title = `Numbers check ${stamp}`;
  const name = `Dorothy Vaughan ${stamp}`;
  const email = `dorothy.${stamp}@nasa.example`;
  const { context, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);

  await page.getByRole("link", { name: "Assessments" }).click();
  await page.getByRole("heading", { level: 1, name: "Assessments" }).waitFor();
  await page.getByRole("link", { name: "New assessment" }).click();
  await hydrated(page);
  await page.getByLabel("Requisition").selectOption({ label: "Demo: operations analyst" });
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Time limit (minutes)").fill("15");
  await page.getByRole("button", { name: "Create assessment" }).click();
  await page.getByRole("heading", { level: 1, name: `Edit: ${title} (version 1)` }).waitFor();
  await hydrated(page);

  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByText("Add at least one question before publishing.").waitFor();
  await page.getByLabel("Draw at random from").selectOption({ label: "Set: Demo: general aptitude (6 questions)" });
  await page.getByLabel("How many").fill("3");
  await page.getByRole("button", { name: "Add random draw" }).click();
  await page.getByText("3 at random from the set “Demo: general aptitude”").waitFor();
  // One item: nowhere to move it. A draft is published, with what that freezes beside the
  // button, and never archived.
  assert.equal(await page.getByRole("button", { name: "Move up" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Move down" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Archive" }).count(), 0);
  await page.getByRole("region", { name: "Publish version 1" }).getByText("Publishing freezes this version:").waitFor();
  await hydrated(page);
  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  await page.getByText("Published", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Archive" }).waitFor();

  await page.goto("/candidates/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Add candidate" }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await hydrated(page);
  await page.getByLabel("Requisition").selectOption({ label: "Demo: operations analyst" });
  await page.getByRole("button", { name: "Add to pipeline" }).click();
  await page.getByRole("link", { name: "Demo: operations analyst" }).click();

  await page.getByRole("heading", { level: 1, name: "Pipeline: Demo: operations analyst" }).waitFor();
  await hydrated(page);
  await page.getByLabel(name, { exact: true }).check();
  await page.getByLabel("Assessment to invite the selected candidates to").selectOption({ label: title });
  await page.getByRole("button", { name: "Invite selected to the assessment" }).click();
  await noticeFocused(page, new RegExp(`^Invited ${name} to “${title}”\\. The test link expires in 7 days, on \\w{3} \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2} \\S+\\.$`));
  await page.getByRole("region", { name: /^Assessment/ }).getByText(name, { exact: true }).waitFor();

  const [invite] = await emailsTo(email, 1);
  assert.match(invite, /\/test\/[A-Za-z0-9_-]{43}/);
  assert.match(invite, new RegExp(title));

  await page.goto("/assessments");
  await page.getByRole("link", { name: title }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  const row = page.getByRole("row", { name: new RegExp(name) });
  await row.getByText("Sent, not started").waitFor();
  await hydrated(page);
  await row.getByRole("button", { name: "Resend" }).click();
  const both = await emailsTo(email, 2);
  assert.ok(both.some((text) => text.includes("replaces the one sent earlier")));
  await hydrated(page);
  await page.getByRole("row", { name: new RegExp(name) }).getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("row", { name: new RegExp(name) }).getByText("Revoked").waitFor();
  await context.close();
});
