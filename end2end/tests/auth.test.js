// Signing in and out in a real browser, per role.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNTS, BASE_URL, launch, newPage, signIn, hydrated } from "./helpers.js";

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

// After sign-in only a path of this site is followed (auth::safe_next): browsers drop a
// tab and read a backslash as a slash, so each of these would lead to evil.example.
const FOREIGN_NEXT = ["/%09/evil.example", "//evil.example", "/%5Cevil.example"];

/// Every host the page asks for, to check that none is evil.example.
function hostsOf(page) {
  const hosts = new Set();
  page.on("request", (request) => hosts.add(new URL(request.url()).hostname));
  page.on("framenavigated", (frame) => hosts.add(new URL(frame.url()).hostname));
  return hosts;
}

async function signInHere(page, account) {
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function onThisSite(page, pathname, label) {
  await page.waitForURL((url) => url.pathname === pathname, { waitUntil: "load" });
  const url = new URL(page.url());
  assert.equal(url.origin, new URL(BASE_URL).origin, label);
  assert.equal(url.pathname, pathname, label);
}

test("signing in through a next path that leads elsewhere ends on this site's home page", async () => {
  for (const javaScriptEnabled of [true, false]) {
    for (const next of FOREIGN_NEXT) {
      const label = `${next} (JavaScript ${javaScriptEnabled ? "on" : "off"})`;
      const { context, page } = await newPage(browser, { javaScriptEnabled });
      const hosts = hostsOf(page);
      await page.goto(`/login?next=${next}`);
      if (javaScriptEnabled) await hydrated(page);
      await signInHere(page, ACCOUNTS.recruiter);
      await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
      await onThisSite(page, "/", label);
      // Signed in, the sign-in page sends the user on at once, by the same rule.
      await page.goto(`/login?next=${next}`);
      await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
      await onThisSite(page, "/", `signed in, ${label}`);
      assert.ok(!hosts.has("evil.example"), `${label}: ${[...hosts].join(", ")}`);
      await context.close();
    }
  }
});

test("signing in through a next path of this site ends there", async () => {
  const { context, page } = await newPage(browser);
  await page.goto("/login?next=/candidates");
  await hydrated(page);
  await signInHere(page, ACCOUNTS.recruiter);
  await page.getByRole("heading", { level: 1, name: "Candidates" }).waitFor();
  await onThisSite(page, "/candidates", "after signing in");
  await page.goto("/");
  // The page checks read each page before the next is asked for.
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  await page.goto("/login?next=/candidates");
  await page.getByRole("heading", { level: 1, name: "Candidates" }).waitFor();
  await onThisSite(page, "/candidates", "signed in already");
  await context.close();
});
