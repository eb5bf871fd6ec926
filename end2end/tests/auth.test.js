// Signing in and out in a real browser, per role.
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

const ADMIN_LINKS = ["Users", "Audit log", "Jobs"];

test("each role signs in and sees its own navigation", async () => {
  for (const [key, account] of Object.entries(ACCOUNTS)) {
    const { context, page } = await newPage(browser);
    await signIn(page, account);
    const nav = page.getByRole("navigation", { name: "Main" });
    assert.equal(await page.locator(".role-badge").textContent(), account.role);
    assert.equal(await nav.getByRole("link", { name: "Dashboard" }).count(), 1, key);
    for (const link of ADMIN_LINKS) {
      assert.equal(await nav.getByRole("link", { name: link }).count(), key === "admin" ? 1 : 0, `${key} ${link}`);
    }
    await context.close();
  }
});

test("a wrong password shows an error in place and keeps what was typed (island)", async () => {
  const { context, page } = await newPage(browser);
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(ACCOUNTS.recruiter.email);
  await page.getByLabel("Password").fill("certainly not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "do not match an active account" });
  await alert.waitFor();
  assert.equal(new URL(page.url()).pathname, "/login", "no navigation happened");
  assert.equal(await page.getByLabel("Email").inputValue(), ACCOUNTS.recruiter.email);
  await context.close();
});

test("without JavaScript the same form still works and shows the error", async () => {
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  await page.goto("/login");
  await page.getByLabel("Email").fill(ACCOUNTS.recruiter.email);
  await page.getByLabel("Password").fill("certainly not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("do not match an active account").waitFor();
  await page.getByLabel("Email").fill(ACCOUNTS.recruiter.email);
  await page.getByLabel("Password").fill(ACCOUNTS.recruiter.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  await context.close();
});

test("sign-out ends the session", async () => {
  const { context, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.manager);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { level: 1, name: "Sign in to ARE" }).waitFor();
  await page.goto("/account");
  await page.getByRole("heading", { level: 1, name: "Sign in to ARE" }).waitFor();
  assert.match(page.url(), /\/login\?next=\/account$/);
  await context.close();
});

test("a recruiter gets no admin page", async () => {
  const { context, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);
  const response = await page.goto("/admin/users");
  assert.equal(response.status(), 403);
  await page.getByRole("heading", { level: 1, name: "No access" }).waitFor();
  await context.close();
});
