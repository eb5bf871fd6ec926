// The board in the browser: a card dragged to another column, moved by its "Move to…" menu
// and by the arrow keys, each move undone within seconds (button or Ctrl+Z), a rejection
// handed to the form for its reason, and the filters narrowing the cards as one types.
// Every move is checked against the server by reloading the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNTS, launch, newPage, signIn, hydrated, noticeFocused, openRequisition, addToPipeline } from "./helpers.js";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("cards move by drag and drop, by their menu and by the arrow keys, and each move can be undone", async () => {
  const stamp = Date.now();
  const title = `Board moves ${stamp}`;
  const ada = `Ada Board ${stamp}`;
  const grace = `Grace Board ${stamp}`;
  const { context, page } = await newPage(browser);
  await signIn(page, ACCOUNTS.recruiter);

  await openRequisition(page, title);
  await addToPipeline(page, ada, `ada.${stamp}@board.example`, title);
  await addToPipeline(page, grace, `grace.${stamp}@board.example`, title);
  await page.getByRole("link", { name: title }).click();
  await page.getByRole("heading", { level: 1, name: `Pipeline: ${title}` }).waitFor();
  await hydrated(page);

  const column = (stage) => page.getByRole("region", { name: new RegExp(`^${stage}`) });
  const card = (stage, name) => column(stage).locator(".board-card", { hasText: name });
  const said = (text) => page.locator("#board-live-text", { hasText: text }).waitFor();
  const count = (stage) => column(stage).locator(".count").textContent();
  await card("Applied", ada).waitFor();
  assert.equal(await count("Applied"), "2");

  // Drag and drop: the card lands in Screening, the counts follow, the server has it.
  await card("Applied", ada).dragTo(column("Screening"));
  await said(`Moved ${ada} to Screening.`);
  await card("Screening", ada).waitFor();
  assert.equal(await count("Applied"), "1");
  assert.equal(await count("Screening"), "1");
  assert.equal(await card("Screening", ada).getByText("0 days in stage").count(), 1);
  await page.reload();
  await hydrated(page);
  await card("Screening", ada).waitFor();

  // Dragged again, then undone with the button: back in Screening, on the server too.
  await card("Screening", ada).dragTo(column("Assessment"));
  await said(`Moved ${ada} to Assessment.`);
  await page.getByRole("button", { name: "Undo" }).click();
  await said(`Moved ${ada} back to Screening.`);
  await card("Screening", ada).waitFor();
  assert.ok(!(await page.getByRole("button", { name: "Undo" }).isVisible()), "one undo per move");
  await page.reload();
  await hydrated(page);
  await card("Screening", ada).waitFor();
  assert.equal(await card("Assessment", ada).count(), 0);

  // The arrow keys on a card's "Move to…" button move it a stage along; the focus stays
  // on the card; Ctrl+Z takes the move back.
  const move = card("Applied", grace).getByRole("button", { name: `Move to… (${grace})` });
  await move.focus();
  await page.keyboard.press("ArrowRight");
  await said(`Moved ${grace} to Screening.`);
  await card("Screening", grace).waitFor();
  assert.ok(
    await page.evaluate(() => document.activeElement?.classList.contains("card-move") &&
      document.activeElement.closest(".board-card").textContent.includes("Grace Board")),
    "the focus stays on the moved card's button",
  );
  await page.keyboard.press("ArrowLeft");
  await said(`Moved ${grace} to Applied.`);
  await card("Applied", grace).waitFor();
  await page.keyboard.press("ArrowLeft");
  await said("This is the first open stage.");
  await page.keyboard.press("ArrowRight");
  await said(`Moved ${grace} to Screening.`);
  await page.keyboard.press("Control+z");
  await said(`Moved ${grace} back to Applied.`);
  await page.reload();
  await hydrated(page);
  await card("Applied", grace).waitFor();

  // The menu: opened from the button, walked with the arrow keys, Escape closes it and
  // gives the focus back; Enter on a stage moves the card there.
  const graceMove = card("Applied", grace).getByRole("button", { name: `Move to… (${grace})` });
  await graceMove.click();
  const menu = page.getByRole("menu", { name: `Move ${grace} to` });
  await menu.waitFor();
  assert.equal(await menu.getByRole("menuitem", { name: "Applied" }).count(), 0, "not the stage it is in");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Screening");
  await page.keyboard.press("Escape");
  assert.equal(await menu.count(), 0);
  assert.ok(await graceMove.evaluate((b) => b === document.activeElement), "Escape gives the focus back");
  await page.keyboard.press("Enter");
  await menu.waitFor();
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Assessment");
  await page.keyboard.press("Enter");
  await said(`Moved ${grace} to Assessment.`);
  await card("Assessment", grace).waitFor();

  // A rejection needs its reason: the card is picked in the form with Rejected chosen and
  // the focus on the reason; the form then moves it.
  await card("Assessment", grace).getByRole("button", { name: `Move to… (${grace})` }).click();
  await page.getByRole("menu", { name: `Move ${grace} to` }).getByRole("menuitem", { name: "Rejected" }).click();
  await said(`To move ${grace} to Rejected, choose the reason below, then Move selected.`);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "reason");
  assert.ok(await page.getByLabel(grace, { exact: true }).isChecked());
  await page.getByLabel("Reason (for rejections)").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Move selected" }).click();
  await noticeFocused(page, `Moved ${grace} to Rejected.`);

  // The filters narrow the cards as one types (the Filter button does it without JavaScript).
  await hydrated(page);
  await page.getByLabel("Find a candidate").fill("ada board");
  await card("Screening", ada).waitFor();
  assert.ok(await card("Screening", ada).isVisible());
  await page.getByLabel("Find a candidate").fill("nobody at all");
  await page.waitForFunction(() => [...document.querySelectorAll(".board-card")].every((c) => c.hidden));
  assert.equal(await count("Screening"), "0");
  await page.getByLabel("Find a candidate").fill("");
  await card("Screening", ada).waitFor({ state: "visible" });
  assert.equal(await count("Screening"), "1");
  await context.close();
});
