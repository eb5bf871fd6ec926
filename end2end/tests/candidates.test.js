// A recruiter adds a candidate, finds them by tag, and is warned about a duplicate.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNTS, launch, newPage, signIn, hydrated } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a recruiter adds a candidate once and finds them by tag", async () => {
  const stamp = Date.now();
  const name = `Grace Hopper ${stamp}`;
  const email = `grace.${stamp}@navy.example`;
  const { context, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Candidates" }).click();
  await page.getByRole("link", { name: "Add candidate" }).click();
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Source").selectOption("referral");
  await page.getByLabel("Tags").fill(`navy, t${stamp}`);
  await page.getByRole("group", { name: "Skills" }).getByLabel("Rust").check();
  await page.getByRole("button", { name: "Add candidate" }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await page.getByText("Referral").waitFor();

  await page.goto("/candidates/new");
  await hydrated(page);
  await page.getByLabel("Name").fill("Someone Else");
  await page.getByLabel("Email").fill(email.toUpperCase());
  await page.getByRole("button", { name: "Add candidate" }).click();
  await page.getByRole("alert").filter({ hasText: `${name} already has the address` }).waitFor();
  assert.equal(await page.getByLabel("Name").inputValue(), "Someone Else", "what was typed is kept");

  await page.goto(`/candidates?tags=t${stamp}`);
  await page.getByRole("link", { name }).waitFor();
  await page.goto(`/candidates?tags=t${stamp},-navy`);
  await page.getByText("No candidates match.").waitFor();
  await context.close();
});
