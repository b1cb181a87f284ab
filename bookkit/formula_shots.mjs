// Screenshots of a page of formulas in chromium or Firefox, drawn once in
// each of two fonts, for the fidelity test (tests/test_math_fidelity.py):
//   node formula_shots.mjs chromium|firefox PAGE_URL OUT_DIR
// The page holds one cell per formula ([data-cell]) and draws them in the
// font its <body> class names ("full" or "cut"). Each cell's height is
// fixed from the full font's layout first, so the two drawings put every
// formula at the same place (Chromium paints a wide brace differently
// at different x and y), and a formula that grows in the cut font is cut
// off rather than pushing the rest down. Prints
//   {"cells": [[x, y, width, height], ...], "engine": "...",
//    "shots": {"full": [{"file", "top"}, ...], "cut": [...], "scripts": [...]},
//    "scripts": [{"cell", "kind", "accent", "base", "script", "box"}, ...]}
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import puppeteer from "puppeteer-core";

const BROWSERS = {
  chromium: {
    browser: "chrome",
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  },
  firefox: { browser: "firefox", executablePath: "/usr/bin/firefox-esr" },
};
const WIDTH = 1600;
const WINDOW = 4000; // CSS pixels per screenshot

// FreeType's auto-hinter measures a font's own letters (its "blue zones")
// to decide where to snap each glyph, so a font cut down to fewer letters
// can be snapped a pixel differently. Both browsers read fontconfig: turn
// hinting off, and the two fonts differ only where their glyphs do.
const FONTCONFIG = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <match target="font">
    <edit name="hinting" mode="assign"><bool>false</bool></edit>
  </match>
</fontconfig>
`;

async function drawIn(page, font) {
  await page.evaluate(async (font) => {
    document.body.className = font;
    await document.fonts.ready;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }, font);
}

async function shoot(page, out, font, height) {
  const shots = [];
  for (let top = 0; top < height; top += WINDOW) {
    const file = `${font}-${shots.length}.png`;
    const clip = { x: 0, y: top, width: WIDTH, height: Math.min(WINDOW, height - top) };
    await page.screenshot({
      path: path.join(out, file),
      clip,
      captureBeyondViewport: true,
      // chromium: a faster PNG encoder, still lossless (Firefox's BiDi
      // protocol has no such option)
      ...(name === "chromium" ? { optimizeForSpeed: true } : {}),
    });
    shots.push({ file, top });
  }
  return shots;
}

const [name, url, out] = process.argv.slice(2);
await mkdir(out, { recursive: true });
const fontconfig = path.join(out, "fonts.conf");
await writeFile(fontconfig, FONTCONFIG);
const browser = await puppeteer.launch({
  ...BROWSERS[name],
  headless: true,
  env: { ...process.env, FONTCONFIG_FILE: fontconfig },
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: WIDTH, height: 1000 });
  await page.goto(url, { waitUntil: "load" });
  await drawIn(page, "full");
  const { cells, height } = await page.evaluate(() => {
    const all = [...document.querySelectorAll("[data-cell]")];
    const heights = all.map((cell) => Math.ceil(cell.getBoundingClientRect().height));
    all.forEach((cell, i) => (cell.style.height = `${heights[i]}px`));
    return {
      cells: all.map((cell) => {
        const box = cell.getBoundingClientRect();
        return [box.x + scrollX, box.y + scrollY, box.width, box.height];
      }),
      height: document.documentElement.scrollHeight,
    };
  });
  const shots = { full: await shoot(page, out, "full", height) };
  await drawIn(page, "cut");
  shots.cut = await shoot(page, out, "cut", height);
  // Over- and underscripts, for the placement test: the base drawn red,
  // the script blue, in the site's font.
  const scripts = await page.evaluate(() => {
    const cells = [...document.querySelectorAll("[data-cell]")];
    const found = [];
    cells.forEach((cell, index) => {
      for (const node of cell.querySelectorAll("mover, munder")) {
        if (node.querySelector("mover, munder")) continue; // innermost only
        const [base, script] = node.children;
        base.style.color = "rgb(255, 0, 0)";
        script.style.color = "rgb(0, 0, 255)";
        const box = node.getBoundingClientRect();
        found.push({
          cell: index,
          kind: node.localName,
          accent: node.getAttribute(node.localName === "mover" ? "accent" : "accentunder") === "true",
          base: base.textContent,
          script: script.textContent,
          box: [box.x + scrollX, box.y + scrollY, box.width, box.height],
        });
      }
    });
    return found;
  });
  await drawIn(page, "cut");
  shots.scripts = await shoot(page, out, "scripts", height);
  const engine = await browser.version();
  process.stdout.write(JSON.stringify({ cells, shots, scripts, engine }) + "\n");
} finally {
  await browser.close();
}
