// Proctoring as a candidate and a reviewer live it: the webcam (Chromium's fake camera)
// sends snapshots, leaving the tab, pasting, losing the connection and opening the link
// in a second tab are recorded, and the reviewer finds all of it on the session's page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNTS, launch, newPage, signIn, hydrated, waitForEmail } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]);
});
after(async () => {
  await browser?.close();
});

async function optionValue(select, text) {
  return select.locator("option", { hasText: text }).first().getAttribute("value");
}

/// Waits until the next events batch the page sends is acknowledged.
function batchStored(page) {
  return page.waitForResponse((r) => r.url().endsWith("/api/test/events") && r.status() === 200, { timeout: 20000 });
}

test("what proctoring records reaches the reviewer, and capture never stalls the page", async () => {
  const stamp = Date.now();
  const setTitle = `Proctored ${stamp}`;
  const title = `Proctored screen ${stamp}`;
  const name = `Ada Proctored ${stamp}`;
  const email = `ada.proctored.${stamp}@example.com`;
  const { context: staff, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);

  await page.goto("/questions");
  await page.getByLabel("Question set file").setInputFiles({
    name: "set.json",
    mimeType: "application/json",
    buffer: Buffer.from(
      JSON.stringify({
        format: "are.question_set.v1",
        title: setTitle,
        difficulty: "easy",
        questions: [{ kind: "short_text", prompt_md: "P1 Name a prime number.", points: 1, model_answer: "7" }],
      }),
    ),
  });
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByRole("heading", { level: 1, name: setTitle }).waitFor();

  await page.goto("/assessments/new");
  await hydrated(page);
  await page.getByLabel("Requisition").selectOption({ label: "Demo: operations analyst" });
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Time limit (minutes)").fill("30");
  await page.getByLabel("Pass mark (%)").fill("50");
  await page.getByLabel("Webcam snapshots (with the candidate's consent)").check();
  await page.getByLabel("Seconds between snapshots").fill("10");
  await page.getByRole("button", { name: "Create assessment" }).click();
  await page.getByRole("heading", { level: 1, name: `Edit: ${title} (version 1)` }).waitFor();
  await hydrated(page);
  const select = page.getByLabel("A question", { exact: true });
  await select.selectOption(await optionValue(select, `${setTitle} · P1 `));
  await page.getByRole("button", { name: "Add question" }).click();
  await page.getByText("1 question per candidate").waitFor();
  await hydrated(page);
  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByText("Published", { exact: true }).waitFor();
  const assessmentPath = new URL(page.url()).pathname;

  await page.goto("/candidates/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Add candidate" }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  await page.goto(`${assessmentPath}?q=${encodeURIComponent(name)}`);
  await hydrated(page);
  const candidate = page.getByLabel("Candidate", { exact: true });
  await candidate.selectOption(await optionValue(candidate, name));
  await page.getByRole("button", { name: "Send invite" }).click();
  const invite = (await waitForEmail(email)).replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const link = new URL(invite.match(/https?:\/\/\S+\/test\/[A-Za-z0-9_-]{43}/)[0]).pathname;

  // The candidate: long tasks are watched from the first script on.
  const { context: own, page: test } = await newPage(browser);
  await own.addInitScript(() => {
    // The camera's streams, so that the test can unplug it.
    window.__streams = [];
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await open(constraints);
      window.__streams.push(stream);
      return stream;
    };
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  await test.goto(link);
  await test.getByText("Your webcam takes a photo at intervals while you answer.").waitFor();
  await test.getByLabel("I have read the above and agree to the monitoring described.").check();
  await test.getByRole("button", { name: "Start the test" }).click();
  const firstSnapshot = test.waitForResponse((r) => r.url().endsWith("/api/test/snapshot") && r.status() === 204, { timeout: 20000 });
  await test.locator(".test-runner[data-ready=true]").waitFor();
  const readyAt = await test.evaluate(() => performance.now());
  await test.locator("#proctoring-indicator", { hasText: "Activity recorded · Camera on" }).waitFor();
  await firstSnapshot;

  // An answer (its save is on the reviewer's timeline), then a paste: its length is
  // recorded, never its text.
  await test.getByRole("textbox", { name: "Your answer", exact: true }).fill("7");
  await test.getByRole("textbox", { name: "Your answer", exact: true }).focus();
  await test.evaluate(() => {
    const data = new DataTransfer();
    data.setData("text", "secret text");
    document.activeElement.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true }));
  });

  // Another tab in front for a while, then back. Headless Chromium keeps a background tab
  // "visible", so the page is told what a browser tells it when the candidate switches
  // tabs: the document becomes hidden (and the window loses focus), then visible again.
  const other = await own.newPage();
  await other.goto("/healthz");
  await other.bringToFront();
  const setVisible = (visible) =>
    test.evaluate((visible) => {
      Object.defineProperty(document, "hidden", { configurable: true, get: () => !visible });
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (visible ? "visible" : "hidden") });
      if (!visible) window.dispatchEvent(new Event("blur"));
      document.dispatchEvent(new Event("visibilitychange"));
      if (visible) window.dispatchEvent(new Event("focus"));
    }, visible);
  await setVisible(false);
  await other.waitForTimeout(2500);
  await test.bringToFront();
  await setVisible(true);
  await other.close();
  await batchStored(test);

  // Offline for longer than the heartbeats may be missing: a gap, and every event arrives.
  await own.setOffline(true);
  await test.waitForTimeout(17000);
  await own.setOffline(false);
  await batchStored(test);

  // The same link open in a second tab at once, where the camera is refused.
  const second = await own.newPage();
  await second.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
  });
  await second.goto(link);
  await second.locator(".test-runner[data-ready=true]").waitFor();
  await batchStored(second);
  await batchStored(test);
  await batchStored(second);

  const longTasks = await test.evaluate((since) => window.__longTasks.filter((t) => t.start > since && t.duration > 50), readyAt);
  assert.deepEqual(longTasks, [], "no task over 50 ms once the test is running");
  await second.close();

  // The camera unplugged: its track ends.
  await test.evaluate(() => window.__streams.forEach((s) => s.getVideoTracks().forEach((t) => t.dispatchEvent(new Event("ended")))));
  await test.locator("#proctoring-indicator", { hasText: "Camera off" }).waitFor();
  await batchStored(test);

  await test.getByRole("button", { name: "Submit test" }).click();
  await test.getByRole("dialog", { name: "Submit your test?" }).getByRole("button", { name: "Submit now" }).click();
  await test.getByText("Your answers have been submitted. Thank you!").waitFor();
  await own.close();

  // The reviewer's view of the session.
  await page.goto(`${assessmentPath}/results`);
  await page.getByRole("link", { name }).click();
  const record = page.getByRole("region", { name: "What proctoring recorded" });
  await record.waitFor();
  await record.getByText("These are signals, not proof of cheating").waitFor();
  await record.getByText("Pasted 11 characters").waitFor();
  assert.equal(await page.getByText("secret text").count(), 0, "what was pasted is nowhere");
  await record.getByText("Left the test's tab").waitFor();
  await record.getByText(/Came back to the test's tab after \d+ s/).waitFor();
  await record.getByText(/Monitoring unavailable for \d+ s/).first().waitFor();
  await record.getByText(/The connection came back after \d+ s/).waitFor();
  await record.getByText("The test was open in a second browser or tab at the same time").first().waitFor();
  await record.getByText("The camera started").first().waitFor();
  const snapshot = record.getByRole("img", { name: /^Webcam snapshot at \+\d+:\d\d$/ }).first();
  await snapshot.waitFor();
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await snapshot.elementHandle());
  await record.getByText("Camera access was refused").first().waitFor();
  await record.getByText("The camera stopped").first().waitFor();

  // The review page: one timeline with the events, the gaps, the snapshots and the answer
  // saves; the snapshot viewer by keyboard; zoom; a decision with its reason.
  await record.getByRole("link", { name: "Review the timeline and decide" }).click();
  await page.getByRole("heading", { level: 1, name: `Proctoring review: ${name}` }).waitFor();
  const timeline = page.locator("svg.timeline");
  await timeline.locator("circle.dot").first().waitFor();
  await timeline.locator("rect.gap").first().waitFor();
  await timeline.locator("image.thumb").first().waitFor();
  await timeline.locator("line.save").first().waitFor({ state: "attached" });
  await hydrated(page);
  const viewer = page.locator("#snapshot-viewer");
  const position = viewer.locator(".snapshot-position");
  const count = Number((await position.textContent()).match(/^1 of (\d+)/)[1]);
  assert.ok(count >= 2, `snapshots arrived during the test (${count})`);
  await viewer.focus();
  await page.keyboard.press("ArrowRight");
  await viewer.locator(".snapshot-position", { hasText: new RegExp(`^2 of ${count} `) }).waitFor();
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await viewer.locator(".snapshot-position", { hasText: new RegExp(`^${count} of ${count} `) }).waitFor();
  const reviewPath = new URL(page.url()).pathname;
  await timeline.locator("a.zoom").first().click();
  await page.waitForURL(/\?from=0&to=\d+/);
  await page.getByRole("link", { name: "Whole session" }).waitFor();
  const exported = await page.request.get(`${reviewPath}/export`);
  assert.equal(exported.status(), 200);
  const html = await exported.text();
  assert.ok(html.includes("data:image/jpeg;base64,") && html.includes("Pasted 11 characters"), "the export holds the record");

  await page.getByLabel("Cleared").check();
  await page.getByLabel("Reason (kept with the decision and in the audit log)").fill("Reviewed: the paste was a prime.");
  await page.getByRole("button", { name: "Record the decision" }).click();
  await page.getByText(/: Reviewed: the paste was a prime\.$/).waitFor();
  await staff.close();

  const { context: adminContext, page: admin } = await newPage(browser);
  await signIn(admin, ACCOUNTS.admin);
  await admin.goto("/admin/audit?action=proctoring.disposition");
  await admin.getByText("Reviewed: the paste was a prime.").waitFor();
  await adminContext.close();
});
