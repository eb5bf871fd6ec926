// The recruiter's requisition work in the browser: create one with skills and a
// Markdown description, then open it for applications.
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

test("a recruiter creates a requisition and opens it", async () => {
  const title = `Platform engineer ${Date.now()}`;
  const { context, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Requisitions" }).click();
  await page.getByRole("link", { name: "New requisition" }).click();
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Department").fill("Engineering");
  await page.getByLabel("Location").fill("Remote");
  await page.getByLabel("Openings").fill("2");
  await page.getByLabel("Hiring manager").selectOption({ label: "Hugo Manager (hiring manager)" });
  await page.getByRole("group", { name: "Required skills" }).getByLabel("Rust").check();
  await page.getByRole("group", { name: "Nice-to-have skills" }).getByLabel("Kubernetes").check();
  await page.getByRole("group", { name: /Team/ }).getByLabel("Iris Interviewer (interviewer)").check();
  await page.getByLabel("Job description").fill("## What you will do\n\n- Run **Rust** services");
  await page.getByRole("button", { name: "Create requisition" }).click();

  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  await page.getByRole("heading", { level: 2, name: "What you will do" }).waitFor();
  assert.equal(await page.locator(".status").first().textContent(), "Draft");
  await hydrated(page);
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.locator(".status", { hasText: "Open" }).first().waitFor();
  await page.getByRole("button", { name: "Put on hold" }).waitFor();

  // The list's filter form narrows by department.
  await page.goto("/requisitions");
  await page.getByLabel("Department").selectOption("Engineering");
  await page.getByLabel("Search").fill(title);
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/department=Engineering/);
  await page.getByRole("link", { name: title }).waitFor();
  await page.getByLabel("Department").selectOption("");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.getByRole("link", { name: title }).waitFor();

  // The hiring manager finds it on their list.
  const manager = await newPage(browser);
  await signIn(manager.page, ACCOUNTS.manager);
  await manager.page.goto("/requisitions?q=" + encodeURIComponent(title));
  await manager.page.getByRole("link", { name: title }).waitFor();
  await manager.context.close();
  await context.close();
});
