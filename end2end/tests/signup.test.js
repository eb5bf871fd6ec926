// Organization sign-up is off unless the server opens it (ARE_SIGNUP=open), as in the
// server these tests run against: no link on the sign-in page, and no sign-up page.
// The open flow is covered by the integration tests (tests/integration/signup.rs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, newPage } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("with sign-up closed, the sign-in page offers none and /signup is not found", async () => {
  const visitor = await newPage(browser);
  await visitor.page.goto("/login");
  await visitor.page.getByRole("heading", { level: 1, name: "Sign in to ARE" }).waitFor();
  assert.equal(await visitor.page.getByRole("link", { name: "Sign up your organization" }).count(), 0);
  const response = await visitor.page.goto("/signup");
  assert.equal(response.status(), 404);
  await visitor.page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
  await visitor.context.close();
});
