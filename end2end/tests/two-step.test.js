// Two-step sign-in in the browser: a new colleague sets up an authenticator app, gets
// recovery codes once, and then signs in with the password and the app's code.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { ACCOUNTS, launch, newPage, signIn, hydrated, waitForEmail, inviteLink } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/// RFC 4648 base32, as authenticator apps read the typed key.
function base32Decode(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of text.replace(/[\s=]/g, "").toUpperCase()) {
    const value = alphabet.indexOf(c);
    if (value < 0) throw new Error(`not base32: ${c}`);
    bits += value.toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/// The six-digit code of RFC 6238 (SHA-1, 30-second steps) at `unixSeconds`, as the app
/// on a phone computes it.
function totp(key, unixSeconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

test("a colleague turns on two-step sign-in and then signs in with the app's code", async () => {
  const stamp = Date.now();
  const address = `tess.${stamp}@acme.example`;
  const password = "tess keeps a quiet lamp";
  const admin = await newPage(browser);
  await signIn(admin.page, ACCOUNTS.admin);
  await admin.page.goto("/admin/users");
  await hydrated(admin.page);
  await admin.page.getByLabel("Name").fill(`Tess Twostep ${stamp}`);
  await admin.page.getByLabel("Email").fill(address);
  await admin.page.getByLabel("Role", { exact: true }).selectOption("interviewer");
  await admin.page.getByRole("button", { name: "Send invitation" }).click();
  await admin.page.getByRole("cell", { name: address, exact: true }).waitFor();

  const tess = await newPage(browser);
  await tess.page.goto(inviteLink(await waitForEmail(address)));
  await hydrated(tess.page);
  await tess.page.getByLabel("Password", { exact: true }).fill(password);
  await tess.page.getByLabel("Repeat the password").fill(password);
  await tess.page.getByRole("button", { name: "Create my account" }).click();
  await tess.page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();

  // Setting up: the key the app needs, then its first code.
  await tess.page.goto("/account");
  await tess.page.getByRole("link", { name: "Manage two-step sign-in" }).click();
  await hydrated(tess.page);
  await tess.page.getByRole("button", { name: "Set up two-step sign-in" }).click();
  const typedKey = await tess.page.locator("code.secret-key").textContent();
  const key = base32Decode(typedKey);
  await tess.page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
  await hydrated(tess.page);
  await tess.page.getByLabel("Your password").fill(password);
  await tess.page.getByLabel("Code from the app").fill("000000" === totp(key, Date.now() / 1000) ? "111111" : "000000");
  await tess.page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await tess.page.getByRole("alert").filter({ hasText: "That code is not right" }).waitFor();
  await tess.page.getByLabel("Code from the app").fill(totp(key, Date.now() / 1000));
  await tess.page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await tess.page.getByRole("heading", { name: "Your recovery codes" }).waitFor();
  const codes = await tess.page.locator(".recovery-codes code").allTextContents();
  assert.equal(codes.length, 10);
  await tess.page.getByRole("heading", { name: "Two-step sign-in is on" }).waitFor();
  await waitForEmail("Two-step sign-in is on for your ARE account");
  // Shown once only.
  await tess.page.reload();
  await tess.page.getByRole("heading", { name: "Two-step sign-in is on" }).waitFor();
  assert.equal(await tess.page.locator(".recovery-codes").count(), 0);
  await tess.context.close();

  // Signing in now takes the password, then the app's code.
  const later = await newPage(browser);
  await later.page.goto("/login");
  await hydrated(later.page);
  await later.page.getByLabel("Email").fill(address);
  await later.page.getByLabel("Password").fill(password);
  await later.page.getByRole("button", { name: "Sign in" }).click();
  await later.page.getByRole("heading", { level: 1, name: "Sign in: second step" }).waitFor();
  // No signed-in session yet.
  const probe = await later.context.request.get("/account", { maxRedirects: 0 });
  assert.equal(probe.status(), 302);
  await hydrated(later.page);
  // The next step's code: the one used to turn it on cannot be used again.
  await later.page.getByLabel("Code").fill(totp(key, Date.now() / 1000 + 30));
  await later.page.getByRole("button", { name: "Sign in" }).click();
  await later.page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  await later.context.close();

  // A recovery code works once instead of the app.
  const lostPhone = await newPage(browser);
  await lostPhone.page.goto("/login");
  await hydrated(lostPhone.page);
  await lostPhone.page.getByLabel("Email").fill(address);
  await lostPhone.page.getByLabel("Password").fill(password);
  await lostPhone.page.getByRole("button", { name: "Sign in" }).click();
  await lostPhone.page.getByRole("heading", { level: 1, name: "Sign in: second step" }).waitFor();
  await hydrated(lostPhone.page);
  await lostPhone.page.getByLabel("Code").fill(codes[0]);
  await lostPhone.page.getByRole("button", { name: "Sign in" }).click();
  await lostPhone.page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  await lostPhone.context.close();
  await admin.context.close();
});
