// The whole recruiting flow in one go: a requisition, a candidate moved through the
// pipeline, a note that reaches the hiring manager, and an interview that reaches the
// interviewer's dashboard and mailbox with a valid calendar invitation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ACCOUNTS, MAIL_DIR, launch, newPage, signIn, hydrated } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/// The calendar file of the newest email whose (unfolded) calendar mentions `needle`.
async function waitForInvitation(needle, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let files = [];
    try {
      files = readdirSync(MAIL_DIR).filter((f) => f.endsWith(".eml"));
    } catch {
      // The folder appears with the first email.
    }
    for (const file of files) {
      const email = readFileSync(join(MAIL_DIR, file), "utf8");
      const start = email.indexOf("BEGIN:VCALENDAR");
      const end = email.indexOf("END:VCALENDAR");
      if (start < 0 || end < 0) continue;
      const ics = email.slice(start, end + "END:VCALENDAR".length);
      if (ics.replace(/\r\n /g, "").includes(needle)) return { email, ics };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no calendar invitation mentioning ${needle} within ${timeoutMs} ms`);
}

const pad = (n) => String(n).padStart(2, "0");

test("a requisition, a candidate through the pipeline, a note and an interview", async () => {
  const stamp = Date.now();
  const title = `Flow engineer ${stamp}`;
  const name = `Grace Hopper ${stamp}`;
  const { context, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);

  // The requisition, with Hugo as its hiring manager, opened.
  await page.goto("/requisitions/new");
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Hiring manager").selectOption({ label: "Hugo Manager (hiring manager)" });
  await page.getByLabel("Job description").fill("Build **compilers**.");
  await page.getByRole("button", { name: "Create requisition" }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  await hydrated(page);
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByRole("button", { name: "Put on hold" }).waitFor();

  // The candidate, into the pipeline.
  await page.goto("/candidates/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(`grace.${stamp}@navy.example`);
  await page.getByLabel("Headline").fill("Compiler pioneer");
  await page.getByRole("button", { name: "Add candidate" }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await hydrated(page);
  await page.getByLabel("Requisition").selectOption({ label: title });
  await page.getByRole("button", { name: "Add to pipeline" }).click();
  await page.getByRole("link", { name: title }).click();

  // Through the stages on the board: Applied → Screening → Interview.
  await page.getByRole("heading", { level: 1, name: `Pipeline: ${title}` }).waitFor();
  for (const [from, to] of [["Applied", "Screening"], ["Screening", "Interview"]]) {
    const column = page.getByRole("region", { name: new RegExp(`^${from}`) });
    await column.getByText(name, { exact: true }).waitFor();
    await hydrated(page);
    await page.getByLabel(name, { exact: true }).check();
    await page.getByLabel("Move the selected candidates to").selectOption({ label: to });
    await page.getByRole("button", { name: "Move selected" }).click();
    await page.getByRole("region", { name: new RegExp(`^${to}`) }).getByText(name, { exact: true }).waitFor();
    assert.equal(await column.getByText(name, { exact: true }).count(), 0);
  }

  // A note mentioning Hugo.
  await page.getByRole("region", { name: /^Interview/ }).getByRole("link", { name: `Profile of ${name}` }).click();
  await page.getByText("Screening → Interview").waitFor();
  await page.getByRole("link", { name: "Application", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: `${name} · ${title}` }).waitFor();
  const applicationUrl = page.url();
  await hydrated(page);
  await page.getByLabel("New note").fill(`Sharp on compilers. @hugo please join the panel for ${name}.`);
  await page.getByRole("button", { name: "Add note" }).click();
  await page.locator(".note", { hasText: "Sharp on compilers" }).waitFor();

  // Hugo sees the notification and follows it.
  const manager = await newPage(browser);
  await signIn(manager.page, ACCOUNTS.manager);
  await manager.page.locator(".unread-count").waitFor();
  await manager.page.getByRole("link", { name: /Notifications/ }).click();
  await hydrated(manager.page);
  await manager.page.getByRole("button", { name: new RegExp(`Open: Rita Recruiter mentioned you in a note on ${name}`) }).click();
  await manager.page.getByRole("heading", { level: 1, name: `${name} · ${title}` }).waitFor();
  await manager.page.getByText("Sharp on compilers").waitFor();
  await manager.context.close();

  // The recruiter schedules an interview with Iris (everyone's zone is UTC in the demo).
  const day = new Date(Date.now() + (2 + (stamp % 10)) * 86400000);
  const hour = 6 + (Math.floor(stamp / 10) % 12);
  const minute = 15 * (Math.floor(stamp / 1000) % 4);
  const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
  const local = `${date}T${pad(hour)}:${pad(minute)}`;
  await page.goto(applicationUrl);
  await hydrated(page);
  const interviews = page.getByRole("region", { name: "Interviews" });
  await interviews.getByText("No interviews yet.").waitFor();
  await page.getByLabel("Interviewer", { exact: true }).selectOption({ label: "Iris Interviewer · Interviewer" });
  await page.getByLabel("Type").selectOption({ label: "Technical" });
  await page.getByLabel("Start (UTC)").fill(local);
  await page.getByLabel("Duration (minutes)").fill("45");
  await page.getByLabel("Location").fill("Room 4, Paris office");
  await page.getByLabel("Video link").fill("https://meet.example/grace");
  await page.getByLabel("Instructions for the interviewer").fill("Ask about COBOL; leave salary to Rita.");
  await page.getByRole("button", { name: "Schedule interview" }).click();
  await interviews.locator(".interview", { hasText: "Iris Interviewer" }).waitFor();
  await interviews.getByText("Scheduled", { exact: true }).waitFor();
  await context.close();

  // Iris finds it on her dashboard and opens it: what she needs, no contact details.
  const iris = await newPage(browser);
  await signIn(iris.page, ACCOUNTS.interviewer);
  const upcoming = iris.page.getByRole("region", { name: "Your upcoming interviews" });
  await upcoming.getByText(new RegExp(name)).waitFor();
  await upcoming.getByRole("link").first().click();
  await iris.page.getByRole("heading", { level: 1, name: `Technical interview: ${name}` }).waitFor();
  await iris.page.getByText("Compiler pioneer").waitFor();
  await iris.page.getByText("Ask about COBOL; leave salary to Rita.").waitFor();
  await iris.page.getByText(`${pad(hour)}:${pad(minute)}`, { exact: false }).first().waitFor();
  assert.equal(await iris.page.getByText(`grace.${stamp}@navy.example`).count(), 0);
  await iris.context.close();

  // The invitation in Iris's mailbox carries a valid calendar file.
  const { email, ics } = await waitForInvitation(name);
  assert.match(email, /^To: interviewer@acme\.example/m);
  assert.match(email, /Content-Type: text\/calendar; method=REQUEST/);
  const lines = ics.replace(/\r\n /g, "").split("\r\n");
  assert.equal(lines[0], "BEGIN:VCALENDAR");
  assert.equal(lines.at(-1), "END:VCALENDAR");
  assert.ok(lines.includes("VERSION:2.0"));
  assert.ok(lines.includes("METHOD:REQUEST"));
  const begin = lines.indexOf("BEGIN:VEVENT");
  const end = lines.indexOf("END:VEVENT");
  assert.ok(begin > 0 && end > begin, "one VEVENT");
  const event = lines.slice(begin, end);
  assert.ok(event.some((l) => /^UID:interview-[0-9a-f-]{36}@/.test(l)), "a UID");
  assert.ok(event.includes(`DTSTART:${date.replaceAll("-", "")}T${pad(hour)}${pad(minute)}00Z`), "DTSTART as chosen");
  assert.ok(event.includes("SEQUENCE:0"));
  assert.ok(event.some((l) => l.startsWith("ATTENDEE;") && l.endsWith(":mailto:interviewer@acme.example")));
  for (const line of ics.split("\r\n")) {
    assert.ok(Buffer.byteLength(line) <= 75, `line longer than 75 octets: ${line}`);
  }
});
