// A colleague who forgot their password gets back in through the emailed link.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNTS, launch, newPage, signIn, hydrated, waitForEmail, inviteLink } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function resetLink(email) {
  const text = email.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const match = text.match(/https?:\/\/\S+\/reset\/[A-Za-z0-9_-]+/);
  if (!match) throw new Error("no reset link in the email");
  return new URL(match[0]).pathname;
}

test("a forgotten password is reset through the emailed link, once", async () => {
  const stamp = Date.now();
  const address = `rita.${stamp}@acme.example`;
  const admin = await newPage(browser);
  await signIn(admin.page, ACCOUNTS.admin);
  await admin.page.goto("/admin/users");
  await hydrated(admin.page);
  await admin.page.getByLabel("Name").fill(`Rita Reset ${stamp}`);
  await admin.page.getByLabel("Email").fill(address);
  await admin.page.getByLabel("Role", { exact: true }).selectOption("recruiter");
  await admin.page.getByRole("button", { name: "Send invitation" }).click();
  await admin.page.getByRole("cell", { name: address, exact: true }).waitFor();
  const rita = await newPage(browser);
  await rita.page.goto(inviteLink(await waitForEmail(address)));
  await hydrated(rita.page);
  await rita.page.getByLabel("Password", { exact: true }).fill("rita forgot this one");
  await rita.page.getByLabel("Repeat the password").fill("rita forgot this one");
  await rita.page.getByRole("button", { name: "Create my account" }).click();
  await rita.page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();

  const later = await newPage(browser);
  await later.page.goto("/login");
  await later.page.getByRole("link", { name: "Forgot your password?" }).click();
  await hydrated(later.page);
  await later.page.getByLabel("Email").fill(address);
  await later.page.getByRole("button", { name: "Email me a link" }).click();
  await later.page.getByRole("status").filter({ hasText: "we are emailing it a link" }).waitFor();

  // The newest reset email to this address (the invitation went to it too).
  let resetEmail;
  for (let tries = 0; !resetEmail && tries < 75; tries++) {
    const newest = await waitForEmail(address);
    if (newest.includes("Reset your ARE password")) resetEmail = newest;
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.ok(resetEmail, "a reset email to the address");
  const path = resetLink(resetEmail);
  await later.page.goto(path);
  await later.page.getByRole("heading", { level: 1, name: "Choose a new password" }).waitFor();
  await hydrated(later.page);
  await later.page.getByLabel("New password", { exact: true }).fill("rita remembers lanterns");
  await later.page.getByLabel("Repeat the new password").fill("rita remembers lanterns");
  await later.page.getByRole("button", { name: "Set the new password" }).click();
  await later.page.getByRole("status").filter({ hasText: "Your password was changed" }).waitFor();
  await hydrated(later.page);
  await later.page.getByLabel("Email").fill(address);
  await later.page.getByLabel("Password").fill("rita remembers lanterns");
  await later.page.getByRole("button", { name: "Sign in" }).click();
  await later.page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();

  // The old session ended, and the link works once.
  await rita.page.goto("/account");
  await rita.page.getByRole("heading", { level: 1, name: "Sign in to ARE" }).waitFor();
  const again = await newPage(browser);
  const response = await again.page.goto(path);
  assert.equal(response.status(), 404);
  for (const p of [admin, rita, later, again]) await p.context.close();
});
