// A recruiter puts a candidate into a requisition's pipeline and moves them on the board.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNTS, launch, newPage, signIn, hydrated, noticeFocused, screenshot, addToPipeline } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a candidate joins a pipeline and moves to screening with the move in their history", async () => {
  const stamp = Date.now();
  const title = `Data engineer ${stamp}`;
  const name = `Katherine Johnson ${stamp}`;
  const { context, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);

  await page.goto("/requisitions/new");
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Hiring manager").selectOption({ label: "Hugo Manager (hiring manager)" });
  // Created open in one step (a draft is the default).
  assert.equal(await page.getByLabel("Draft: open it later from its page").isChecked(), true);
  await page.getByRole("radio", { name: "Open", exact: true }).check();
  await page.getByRole("button", { name: "Create requisition" }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  await page.getByRole("button", { name: "Put on hold" }).waitFor();

  // The profile says what happened, where the focus is (noticeFocused in the helper).
  await addToPipeline(page, name, `katherine.${stamp}@nasa.example`, title);
  await page.getByRole("link", { name: title }).click();

  await page.getByRole("heading", { level: 1, name: `Pipeline: ${title}` }).waitFor();
  const board = new URL(page.url()).pathname;
  const applied = page.getByRole("region", { name: /^Applied/ });
  await applied.getByText(name, { exact: true }).waitFor();
  await hydrated(page);
  // From the heading, the first stop is the link past the cards to the move controls.
  await page.getByRole("heading", { level: 1, name: `Pipeline: ${title}` }).click();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to the move controls" });
  assert.ok(await skip.evaluate((link) => link === document.activeElement), "the skip link has the focus");
  assert.ok(await skip.isVisible(), "the skip link shows once focused");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "to_stage");
  assert.match(await page.evaluate(() => document.activeElement.labels[0].textContent), /^Move the selected candidates to/);
  await page.getByLabel(name, { exact: true }).check();
  await page.getByLabel("Move the selected candidates to").selectOption({ label: "Screening" });
  await page.getByRole("button", { name: "Move selected" }).click();
  await noticeFocused(page, `Moved ${name} to Screening.`);
  await page.getByRole("region", { name: /^Screening/ }).getByText(name, { exact: true }).waitFor();
  assert.equal(await applied.getByText(name, { exact: true }).count(), 0);

  // Scheduling from the card: its link opens the application at the scheduling form, and
  // the card then says an interview is coming.
  const screening = page.getByRole("region", { name: /^Screening/ });
  await screening.getByRole("link", { name: `Schedule interview with ${name}` }).click();
  await page.getByRole("heading", { level: 1, name: `${name} · ${title}` }).waitFor();
  assert.equal(new URL(page.url()).hash, "#schedule");
  await page.getByRole("heading", { name: "Schedule an interview" }).waitFor();
  await hydrated(page);
  const schedule = page.locator("form").filter({ has: page.getByRole("button", { name: "Schedule interview" }) });
  await schedule.getByLabel("Interviewer", { exact: true }).selectOption({ index: 1 });
  const day = new Date(Date.now() + 2 * 86400e3).toISOString().slice(0, 10);
  await schedule.getByLabel(/^Start \(/).fill(`${day}T10:00`);
  await schedule.getByLabel("Schedule anyway if the interviewer is busy then").check();
  await schedule.getByRole("button", { name: "Schedule interview" }).click();
  await page.locator(".interview").first().waitFor();
  await page.getByRole("link", { name: "Pipeline board" }).click();
  await screening.locator(".board-card", { hasText: name }).getByText("Interview scheduled").waitFor();
  await screenshot(page, "board");

  await screening.getByRole("link", { name: `Profile of ${name}` }).click();
  await page.getByText("Applied → Screening").waitFor();
  await screenshot(page, "profile");
  // …and from the profile: each application has its "Schedule interview".
  assert.equal(
    await page.getByRole("link", { name: "Schedule interview" }).getAttribute("href"),
    new URL(await page.getByRole("link", { name: "Application", exact: true }).getAttribute("href"), page.url()).pathname + "#schedule",
  );

  // A note that mentions the hiring manager, who finds it in their notifications.
  await page.getByRole("link", { name: "Application", exact: true }).click();
  await hydrated(page);
  await page.getByLabel("New note").fill(`Great SQL answers. @hugo can you meet ${name}?`);
  await page.getByRole("button", { name: "Add note" }).click();
  await page.locator(".note", { hasText: "Great SQL answers" }).waitFor();
  await context.close();

  const manager = await newPage(browser);
  await signIn(manager.page, ACCOUNTS.manager);
  await manager.page.locator(".unread-count").waitFor();
  await manager.page.getByRole("link", { name: /Notifications/ }).click();
  await hydrated(manager.page);
  await manager.page.getByRole("button", { name: new RegExp(`Open: Rita Recruiter mentioned you in a note on ${name}`) }).click();
  await manager.page.getByRole("heading", { level: 1, name: `${name} · ${title}` }).waitFor();
  await manager.page.getByText("Great SQL answers").waitFor();
  // The hiring manager's rule (README "Who may do what"): the interview Rita booked is
  // theirs to see, not to cancel; from their board, the candidate's limited profile.
  await manager.page.locator(".interview").first().waitFor();
  assert.equal(await manager.page.getByRole("button", { name: "Cancel interview" }).count(), 0);
  await manager.page.goto(board);
  await manager.page.getByRole("link", { name: `Profile of ${name}` }).click();
  await manager.page.getByRole("heading", { level: 1, name }).waitFor();
  await manager.page.getByText("You see this candidate through the requisitions you manage.", { exact: false }).waitFor();
  assert.equal(await manager.page.getByText(`katherine.${stamp}@nasa.example`).count(), 0, "no contact details");
  await manager.context.close();
});
