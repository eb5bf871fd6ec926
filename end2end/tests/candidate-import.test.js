// A recruiter imports candidates from a 1,000-row CSV file with three bad rows: the
// preview guesses the columns, the check reports exactly those lines, the other rows are
// imported behind a progress bar, and the filtered list exports as CSV.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ACCOUNTS, launch, newPage, signIn, hydrated } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("CSV import of a 1,000-row file with three bad rows reports exactly those lines", async () => {
  const stamp = Date.now();
  const tag = `import-${stamp}`;
  const email = (n) => `import-${n}-${stamp}@example.com`;
  // Data row n is on line n + 1 (line 1 is the header).
  const BAD = { 101: "bad email", 502: "no name", 903: "same email as line 2" };
  const lines = ["Full name,E-mail,Phone,City,Title,Source,Tags"];
  for (let n = 1; n <= 1000; n++) {
    const line = n + 1;
    let name = `Person ${n} ${stamp}`;
    let address = email(n);
    if (BAD[line] === "bad email") address = "not-an-email";
    if (BAD[line] === "no name") name = "";
    if (BAD[line] === "same email as line 2") address = email(1).toUpperCase();
    lines.push(`${name},${address},+44 20 ${n},"London, UK",Engineer,Referral,"${tag}, csv"`);
  }
  const csv = lines.join("\n") + "\n";

  const { context, page } = await newPage(browser, { acceptDownloads: true });
  await signIn(page, ACCOUNTS.recruiter);
  await page.goto("/candidates");
  await page.getByRole("link", { name: "Import CSV" }).click();
  await page.getByRole("heading", { level: 1, name: "Import candidates" }).waitFor();
  await page.getByLabel("CSV file").setInputFiles({
    name: "people.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv, "utf8"),
  });
  await page.getByRole("button", { name: "Upload and preview" }).click();

  // The preview: columns guessed from the header, the first rows as they will be imported.
  await page.getByRole("heading", { name: "First rows as they will be imported" }).waitFor();
  await hydrated(page);
  const guessed = {
    full_name: "0",
    email: "1",
    phone: "2",
    location: "3",
    headline: "4",
    source: "5",
    tags: "6",
    skills: "",
  };
  for (const [field, column] of Object.entries(guessed)) {
    assert.equal(await page.locator(`select[name="choice[${field}]"]`).inputValue(), column, field);
  }
  assert.equal(await page.locator("tbody tr").count(), 5);
  await page.getByRole("cell", { name: `Person 1 ${stamp}`, exact: true }).waitFor();

  // The check imports nothing and lists exactly the three bad lines.
  await page.getByRole("button", { name: "Check and import" }).click();
  await page.getByRole("heading", { name: "3 rows have errors; nothing was imported" }).waitFor();
  const reported = await page.locator(".row-errors li").evaluateAll((items) =>
    items.map((li) => Number(li.dataset.line)),
  );
  assert.deepEqual(reported, [101, 502, 903]);
  const texts = await page.locator(".row-errors li").allTextContents();
  assert.match(texts[0], /^Line 101: .*valid email/);
  assert.match(texts[1], /^Line 502: .*name/);
  assert.equal(texts[2], "Line 903: Same email as line 2.");

  // Import the other rows: the progress bar runs to the end.
  await hydrated(page);
  await page.getByRole("button", { name: "Import the other 997 rows and skip these lines" }).click();
  await page.locator("progress").waitFor();
  const summary = page.locator(".import-summary");
  await summary.waitFor({ timeout: 60000 });
  assert.match(await summary.textContent(), /^997 created, 0 merged, 0 skipped/);
  const bar = page.locator("progress");
  assert.equal(await bar.getAttribute("value"), await bar.getAttribute("max"));

  // The list shows them; the export of the filtered list has all 997.
  await page.goto(`/candidates?tags=${tag}&q=${encodeURIComponent(`Person 7 ${stamp}`)}`);
  await page.getByRole("link", { name: `Person 7 ${stamp}`, exact: true }).waitFor();
  await page.goto(`/candidates?tags=${tag}`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^candidates-\d{4}-\d{2}-\d{2}\.csv$/);
  const exported = readFileSync(await download.path(), "utf8").trim().split("\n");
  assert.equal(exported[0], "Full name,Email,Phone,Location,Headline,Source,Tags,Skills,Created");
  assert.equal(exported.length, 1 + 997);
  assert.ok(exported.some((row) => row.startsWith(`Person 7 ${stamp},${email(7)},'+44 20 7,"London, UK",Engineer,Referral,`)));
  assert.ok(!exported.some((row) => row.includes(email(100))), "line 101 was left out");
  await context.close();
});
