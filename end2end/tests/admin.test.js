// An admin's work in the browser: inviting a colleague who joins through the emailed
// link, and deactivating someone whose open session then ends.
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

test("an invited colleague joins through the emailed link, which then stops working", async () => {
  const stamp = Date.now();
  const address = `olive.${stamp}@acme.example`;
  const name = `Olive Newcomer ${stamp}`;
  const admin = await newPage(browser);
  await signIn(admin.page, ACCOUNTS.admin);
  await admin.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await hydrated(admin.page);
  await admin.page.getByLabel("Name").fill(name);
  await admin.page.getByLabel("Email").fill(address);
  await admin.page.getByLabel("Role", { exact: true }).selectOption("recruiter");
  await admin.page.getByRole("button", { name: "Send invitation" }).click();
  await admin.page.getByRole("cell", { name: address, exact: true }).waitFor();

  const path = inviteLink(await waitForEmail(address));
  const guest = await newPage(browser);
  await guest.page.goto(path);
  await guest.page.getByRole("heading", { level: 1, name: "Join Acme on ARE" }).waitFor();
  await hydrated(guest.page);

  // Live validation needs the WASM: the message appears while typing, before submitting.
  await guest.page.getByLabel("Password", { exact: true }).fill("too short");
  await guest.page.locator("#password-error").filter({ hasText: /12|characters/ }).waitFor();
  await guest.page.getByLabel("Password", { exact: true }).fill("olive's long password");
  await guest.page.getByLabel("Repeat the password").fill("olive's long passwork");
  await guest.page.locator("#confirm_password-error").filter({ hasText: "do not match" }).waitFor();
  await guest.page.getByLabel("Repeat the password").fill("olive's long password");
  await guest.page.getByRole("button", { name: "Create my account" }).click();
  await guest.page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  assert.equal(await guest.page.locator(".user-name").textContent(), name);
  assert.equal(await guest.page.locator(".role-badge").textContent(), "Recruiter");

  const again = await newPage(browser);
  const response = await again.page.goto(path);
  assert.equal(response.status(), 404);
  await again.page.getByRole("heading", { level: 1, name: "This invitation is not valid" }).waitFor();

  await admin.page.reload();
  await admin.page.getByRole("cell", { name, exact: true }).waitFor();
  for (const p of [admin, guest, again]) await p.context.close();
});

test("deactivating a user ends their open session at once", async () => {
  const victim = await newPage(browser);
  await signIn(victim.page, ACCOUNTS.interviewer);

  const admin = await newPage(browser);
  await signIn(admin.page, ACCOUNTS.admin);
  await admin.page.goto("/admin/users");
  await hydrated(admin.page);
  await admin.page.getByRole("button", { name: "Deactivate Iris Interviewer" }).click();
  await admin.page.getByRole("button", { name: "Reactivate Iris Interviewer" }).waitFor();

  await victim.page.goto("/account");
  await victim.page.getByRole("heading", { level: 1, name: "Sign in to ARE" }).waitFor();

  // Put the demo account back for anyone else using this database.
  await admin.page.getByRole("button", { name: "Reactivate Iris Interviewer" }).click();
  await admin.page.getByRole("button", { name: "Deactivate Iris Interviewer" }).waitFor();
  await admin.page.goto("/admin/audit?action=user.deactivated");
  await admin.page.getByRole("cell", { name: "user.deactivated" }).first().waitFor();
  for (const p of [admin, victim]) await p.context.close();
});
