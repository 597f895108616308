// The explore page in a real browser: `critsec explore` writes the page of a
// two-adder lost update, headless Chromium (Debian's `chromium`) loads it with
// every network request refused, and the test plays the scheduler as a student
// would, with real mouse clicks: main starts both adders, both load, one
// stores, the other stores its stale sum, and the "goal reached" banner must
// show. Then undo, the keyboard, the checker's solution played step by step,
// and a screenshot for docs/. Exit 0 when every check holds; 1 with the reason.
//
// Usage: node explore_page_test.mjs CRITSEC SPEC WORK_DIR [SCREENSHOT.png]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import puppeteer from "puppeteer-core";

const [critsec, spec, workDir, screenshot] = process.argv.slice(2);
if (!critsec || !spec || !workDir) {
  console.error("usage: node explore_page_test.mjs CRITSEC SPEC WORK_DIR [SCREENSHOT.png]");
  process.exit(64);
}
const chromium = process.env.CHROMIUM || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
if (!chromium) {
  console.error("explore_page_test: no chromium (Debian: apt-get install chromium; scripts/setup.sh does it)");
  process.exit(1);
}

function check(ok, what) {
  if (!ok) throw new Error("FAILED: " + what);
  console.log("ok: " + what);
}

mkdirSync(workDir, { recursive: true });
const pagePath = resolve(join(workDir, "explore_page.html"));
const wrote = execFileSync(critsec, ["explore", spec, "-o", pagePath], { encoding: "utf8" });
console.log(wrote.trim());

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  // CI runs as root, where Chromium's sandbox cannot start; the page is our own file.
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--font-render-hinting=none"],
});
let status = 0;
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 860, deviceScaleFactor: 1 });
  const errors = [], requests = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.setRequestInterception(true);
  page.on("request", (r) => {
    if (r.url().startsWith("file://")) return r.continue();
    requests.push(r.url());
    return r.abort();
  });
  await page.goto("file://" + pagePath, { waitUntil: "load" });

  const banner = () => page.$eval("#banner", (b) => b.classList.contains("visible") && getComputedStyle(b).display !== "none");
  const bannerText = () => page.$eval("#banner", (b) => b.textContent);
  const history = () => page.$$eval("#history li:not(.empty)", (l) => l.map((x) => x.textContent));
  // A real click (mouse events at the element's place) on the process's step button.
  async function step(label) {
    const button = await page.$(`.card[data-process="${label}"] .step-btn`);
    if (!button) throw new Error(`FAILED: ${label} has no step to take (is it blocked or finished?)`);
    await button.click();
  }

  const tabs = await page.$$eval(".tab", (t) => t.map((x) => x.textContent));
  check(tabs.includes("Lose an update"), `the goals offered are the checker's: ${tabs.join(", ")}`);
  const lose = (await page.$$(".tab"))[tabs.indexOf("Lose an update")];
  await lose.click();
  check(await page.$eval(".tab.on", (t) => t.textContent) === "Lose an update", "the goal chosen is the lost update");
  check((await page.$$(".card")).length === 1, "at the start only main is there");
  check(!(await banner()), "no banner before any step");

  await step("main");  // a.start()
  await step("main");  // b.start()
  check((await page.$$(".card")).length === 3, "main started both adders: three processes shown");
  await step("Adder#1");  // load total.value = 0
  await step("Adder#2");  // load total.value = 0
  await step("Adder#2");  // store total.value = 2
  check(!(await banner()), "no banner while every update is still there");
  const next = await page.$eval('.card[data-process="Adder#1"] pre.code div.next', (d) => d.textContent);
  check(next.includes("total.value += n"), `Adder#1's next line is highlighted: ${next.trim()}`);
  await step("Adder#1");  // store total.value = 1: computed from the stale read
  check(await banner(), "the goal banner shows after Adder#1's stale store");
  const text = await bannerText();
  check(/Goal reached/.test(text) && /Adder#1/.test(text), `the banner says what happened: ${text.trim()}`);
  const shared = await page.$eval("#shared", (t) => t.textContent);
  check(shared.includes("total.value") && shared.includes("1"), `the shared state shows the lost total: ${shared}`);
  const rows = await history();
  check(rows.length === 6 && rows[5].includes("STALE STORE"), "the steps taken list marks the stale store");
  check(rows[4].includes("Adder#2") && rows[4].includes("LOST WRITE"), "and the write it overwrote: Adder#2's");
  check(!rows.slice(0, 4).some((r) => r.includes("LOST")), "and no other row");

  // The walk exported as a schedule, and forced on real processes by `critsec replay --schedule`.
  const schedule = await page.$eval("#schedule", (i) => i.value);
  check(schedule === "main.1 main.2 Adder#1.1 Adder#2.1 Adder#2.2 Adder#1.2", `the steps as a schedule: ${schedule}`);
  const replay = execFileSync(critsec, ["replay", spec, "--schedule", schedule], { encoding: "utf8" });
  check(/REPRODUCED/.test(replay) && /total\.value = 1/.test(replay), "critsec replay --schedule forces that walk on real processes");

  await (await page.$("#undo")).click();
  check(!(await banner()), "undo takes the goal back");
  check((await history()).length === 5, "undo removed one step");
  await page.keyboard.press("2");  // the second card is Adder#1: the same stale store, by keyboard
  check(await banner(), "the key of a process takes its step");

  await (await page.$("#restart")).click();
  check((await history()).length === 0, "restart goes back to the start");
  for (let k = 0; k < 50 && !(await banner()); k++) await (await page.$("#next")).click();
  check(await banner(), "the checker's solution, step by step, reaches the goal");

  if (screenshot) {
    // The picture for docs/: the lost update just reached by hand, with the assert's goal next to it.
    await (await page.$("#restart")).click();
    for (const who of ["main", "main", "Adder#1", "Adder#2", "Adder#2", "Adder#1"]) await step(who);
    await new Promise((done) => setTimeout(done, 600));  // the banner's entrance is over
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log("screenshot: " + screenshot);
  }
  check(errors.length === 0, "no script error on the page" + (errors.length ? ": " + errors.join("; ") : ""));
  check(requests.length === 0, "the page asked for nothing from the network" + (requests.length ? ": " + requests.join(", ") : ""));
} catch (e) {
  console.error(e.message || e);
  status = 1;
} finally {
  await browser.close();
}
process.exit(status);
