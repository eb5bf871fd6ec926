// Candidates apply on the careers page: a signed-out visitor finds a posted job, applies
// with a PDF résumé and is told it arrived; the recruiter finds them in "Applied" with the
// source "Careers page", sees what was read from the résumé and the skills it shows, the
// evidence highlighted; the same address again is one record, and its résumé counts as
// the candidate's once the recruiter confirms it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNTS, launch, newPage, signIn, hydrated, noticeFocused, screenshot } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/// A one-page PDF with these lines of text (Helvetica), as a word processor's export has.
function pdfWith(lines) {
  const escape = (text) => text.replace(/\\/g, "\\\\").replace(/\(/g, "\\(").replace(/\)/g, "\\)");
  const content = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
    .concat(lines.map((line) => `(${escape(line)}) Tj T*`))
    .concat(["ET"])
    .join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, "latin1"));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, "latin1");
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

function resume(name, email) {
  return pdfWith([
    name,
    `${email} | +49 30 1234567`,
    "Location: Berlin, Germany",
    "",
    "Experience",
    "Senior Engineer, Initech | Jan 2019 - Present",
    "I build payment services in Rust on Postgres and keep them running.",
    "Engineer, Globex | Mar 2015 - Dec 2018",
    "I wrote JavaScript front ends and their APIs.",
    "",
    "Education",
    "MSc Computer Science, TU Berlin",
  ]);
}

async function apply(page, title, name, email, file) {
  await page.goto("/careers/acme");
  await page.getByRole("heading", { level: 1, name: "Jobs at Acme" }).waitFor();
  await page.getByRole("link", { name: title }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Phone (optional)").fill("+49 30 1234567");
  await page.getByLabel("Résumé", { exact: true }).setInputFiles({ name: file, mimeType: "application/pdf", buffer: resume(name, email) });
  await page.getByLabel("Cover letter (optional)").fill("I keep payment systems honest.");
  await page.getByLabel("GitHub (optional)").fill("https://github.com/example");
  await page.getByRole("checkbox", { name: /I agree that Acme stores my application/ }).check();
  await page.getByRole("button", { name: "Send application" }).click();
  await page.getByRole("heading", { level: 1, name: "Application sent" }).waitFor();
  await noticeFocused(page, `Thank you: your application for ${title} is in. A confirmation is on its way to ${email}.`);
}

test("a visitor applies with a PDF résumé and the recruiter sees the match with its evidence", async () => {
  const stamp = Date.now();
  const title = `Payments engineer ${stamp}`;
  const name = `Ada Applicant ${stamp}`;
  const email = `ada.${stamp}@example.com`;

  // The recruiter opens a requisition with skills and posts it.
  const { context: staff, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);
  await page.goto("/requisitions/new");
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Location").fill("Berlin");
  await page.getByRole("radio", { name: "Open", exact: true }).check();
  await page.getByRole("group", { name: "Required skills" }).getByLabel("Rust").check();
  await page.getByRole("group", { name: "Required skills" }).getByLabel("Kubernetes").check();
  await page.getByRole("group", { name: "Nice-to-have skills" }).getByLabel("PostgreSQL").check();
  await page.getByRole("button", { name: "Create requisition" }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  const requisitionUrl = page.url();
  await page.getByRole("link", { name: "Careers page" }).last().click();
  await page.getByRole("heading", { level: 1, name: `Careers page: ${title}` }).waitFor();
  await hydrated(page);
  await page.getByRole("checkbox", { name: "Post on the careers page" }).check();
  await page.getByRole("button", { name: "Save posting" }).click();
  await noticeFocused(page, "Posted on the careers page.");

  // A signed-out visitor applies.
  const { context: visitorContext, page: visitor } = await newPage(browser);
  await apply(visitor, title, name, email, "ada-cv.pdf");
  await screenshot(visitor, "careers-applied");

  // The recruiter finds them in "Applied", from the careers page.
  await page.goto(`${requisitionUrl}/pipeline`);
  const applied = page.getByRole("region", { name: /^Applied/ });
  await applied.getByText(name, { exact: true }).waitFor();
  await page.getByRole("link", { name: `Profile of ${name}` }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await page.getByText("Careers page", { exact: true }).waitFor();
  // The résumé's text is read by a background job: reload until it is.
  const deadline = Date.now() + 30000;
  while (!(await page.getByText("Text extracted").isVisible())) {
    assert.ok(Date.now() < deadline, "the résumé's text was read within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await page.reload();
  }
  const documents = page.getByRole("region", { name: "Documents" });
  await documents.getByRole("heading", { name: "ada-cv.pdf" }).waitFor();
  await documents.getByText("Berlin, Germany").first().waitFor();
  await documents.getByText("Initech").first().waitFor();
  const rust = documents.locator(".evidence li").filter({ has: page.locator("strong", { hasText: /^Rust$/ }) });
  assert.equal(await rust.locator("mark").first().textContent(), "Rust", "the evidence is highlighted");
  await screenshot(page, "candidate-documents");

  // The application's page explains the score and highlights the evidence.
  await page.getByRole("link", { name: "Application", exact: true }).first().click();
  const match = page.getByRole("region", { name: /Skill match/ });
  await match.getByText("1 of 2 required").first().waitFor();
  await match.locator("mark", { hasText: "Postgres" }).first().waitFor();
  await page.getByRole("region", { name: "From the careers page" }).getByText("I keep payment systems honest.").waitFor();

  // The same address again is the same person, and the same application.
  await apply(visitor, title, `${name} (again)`, email.toUpperCase(), "ada-cv-2.pdf");
  await page.goto(`/candidates?q=${encodeURIComponent(email)}`);
  await page.getByRole("link", { name }).waitFor();
  assert.equal(await page.getByRole("link", { name: new RegExp(`Ada Applicant ${stamp}`) }).count(), 1, "one record");
  await page.goto(`${requisitionUrl}/pipeline`);
  assert.equal(await page.locator(".board-card", { hasText: name }).count(), 1, "one application");

  // Its résumé came by an address anyone may type, to a record that existed: it counts
  // for its own application only, until the recruiter confirms it is Ada's.
  await page.getByRole("link", { name: `Profile of ${name}` }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  const second = page.getByRole("article", { name: "ada-cv-2.pdf" });
  await second.getByText(`it counts only for the application to ${title}.`, { exact: false }).waitFor();
  assert.equal(await page.getByRole("article", { name: "ada-cv.pdf" }).getByText("Confirm it is the candidate's").count(), 0);
  await second.getByRole("button", { name: "Confirm it is the candidate's" }).click();
  await noticeFocused(page, "“ada-cv-2.pdf” is taken as the candidate's: it counts for all their applications now.");
  assert.equal(await page.getByText("it counts only for the application", { exact: false }).count(), 0);

  await visitorContext.close();
  await staff.close();
});
