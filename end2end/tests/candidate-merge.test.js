// A recruiter merges a duplicate record; an admin adds a pipeline stage that the board shows.
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

async function addCandidate(page, name, email, tags) {
  await page.goto("/candidates/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Tags").fill(tags);
  await page.getByRole("button", { name: "Add candidate" }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

test("a duplicate candidate is merged into the record that stays", async () => {
  const stamp = Date.now();
  const name = `Mary Jackson ${stamp}`;
  const { context, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);
  await addCandidate(page, name, `mary.${stamp}@nasa.example`, "senior");
  await addCandidate(page, name, `mj.${stamp}@home.example`, "remote");

  await page.getByRole("link", { name: "Merge a duplicate" }).click();
  await page.getByRole("heading", { level: 1, name: `Merge a duplicate into ${name}` }).waitFor();
  await page.getByRole("link", { name: `${name} <mary.${stamp}@nasa.example>` }).click();
  await page.getByRole("heading", { name: "Before and after" }).waitFor();
  await hydrated(page);
  await page.getByRole("button", { name: "Merge the duplicate into this record" }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await page.getByText("#senior").waitFor();
  await page.getByText("#remote").waitFor();

  // Only one record of her is left to find.
  await page.goto(`/candidates?q=${encodeURIComponent(name)}`);
  assert.equal(await page.getByRole("link", { name }).count(), 1);
  await context.close();
});

test("an admin adds a pipeline stage and every board shows it before the outcomes", async () => {
  const stamp = Date.now();
  const stage = `Final round ${stamp}`;
  const { context, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.admin);
  await page.getByRole("link", { name: "Pipeline", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Pipeline" }).waitFor();
  await hydrated(page);
  await page.getByLabel("New stage").fill(stage);
  await page.getByRole("button", { name: "Add stage" }).click();
  await page.getByLabel(`Name of ${stage}`).waitFor();
  await hydrated(page);
  await page.getByRole("button", { name: `Move ${stage} up` }).click();
  await page.getByRole("button", { name: `Move ${stage} down` }).waitFor();
  const stages = page.getByRole("region", { name: "Stages" });
  const names = await stages.locator("input[id^=name-]").evaluateAll((inputs) => inputs.map((i) => i.value));
  const at = names.indexOf(stage);
  assert.ok(at > 0, `${stage} is listed`);
  assert.equal(names[at + 1], "Offer", "moved above Offer");
  assert.equal(names[names.length - 3], "Hired", "the outcomes stay last");
  await context.close();
});
