import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  BROWN_GENRES,
  corpusStats,
  loadBrown,
  loadCorpusText,
  loadSotu,
  loadTextFile,
  loadTinyText,
  untagBrownLine,
} from "../../../kernel-lib/src/text/corpora";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "corpora-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("loadSotu", () => {
  const sotu = loadSotu();
  it("has the 233 addresses from 1790 to 2021, sorted by year", () => {
    expect(sotu).toHaveLength(233);
    expect(sotu[0]).toMatchObject({ year: 1790, president: "George Washington", party: "none" });
    expect(sotu[232]).toMatchObject({ year: 2021, president: "Joseph R Biden", party: "Democratic" });
    for (let i = 1; i < sotu.length; i++) expect(sotu[i].year).toBeGreaterThanOrEqual(sotu[i - 1].year);
  });
  it("puts the outgoing president first in a year with two addresses", () => {
    expect(sotu.filter((d) => d.year === 1953).map((d) => d.president)).toEqual(["Harry S Truman", "Dwight D Eisenhower"]);
    expect(sotu.filter((d) => d.year === 1961).map((d) => d.president)).toEqual(["Dwight D Eisenhower", "John F Kennedy"]);
  });
  it("knows the parties and caches (a second call is fast and equal)", () => {
    expect(new Set(sotu.map((d) => d.party))).toEqual(
      new Set(["none", "Federalist", "Democratic-Republican", "Democratic", "Whig & Democratic", "Whig", "Republican", "National Union"]),
    );
    const t = performance.now();
    const again = loadSotu();
    expect(performance.now() - t).toBeLessThan(50);
    expect(again).toEqual(sotu);
    expect(again).not.toBe(sotu); // a fresh array: callers may sort it
    expect(Object.isFrozen(again[0])).toBe(true);
  });
  it("starts with Washington's greeting", () => {
    expect(sotu[0].text.startsWith("Fellow-Citizens of the Senate and House of Representatives")).toBe(true);
  });
});

describe("loadBrown", () => {
  const brown = loadBrown();
  it("has 500 samples in 15 genres with the manual's names", () => {
    expect(brown).toHaveLength(500);
    expect(new Set(brown.map((b) => b.genre)).size).toBe(15);
    expect(brown[0]).toMatchObject({ id: "ca01", genre: "a", genreName: "Press: reportage", category: "news" });
    expect(brown.find((b) => b.id === "cr09")).toMatchObject({ genre: "r", genreName: "Humor" });
    const perGenre = Object.fromEntries(Object.keys(BROWN_GENRES).map((g) => [g, brown.filter((b) => b.genre === g).length]));
    expect(perGenre).toEqual({ a: 44, b: 27, c: 17, d: 17, e: 36, f: 48, g: 75, h: 30, j: 80, k: 29, l: 24, m: 6, n: 29, p: 29, r: 9 });
  });
  it("strips the tags and rebuilds readable text", () => {
    expect(
      brown[0].text.startsWith(
        'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced "no evidence" that any irregularities took place.',
      ),
    ).toBe(true);
    // No word/tag pairs are left (tags such as /at /nn /vbd /in /jj /np$).
    expect(brown.filter((b) => /\w\/(at|nn|nns|vbd|in|jj|np\$?|cc|rb)\b/.test(b.text)).map((b) => b.id)).toEqual([]);
  });
  it("untagBrownLine glues punctuation and quotes", () => {
    expect(untagBrownLine("The/at jury/nn ,/, ``/`` deserves/vbz ''/'' (/( 1/cd )/) ./.")).toBe('The jury, "deserves" (1).');
  });
});

describe("loadTextFile", () => {
  it("reads UTF-8, drops a BOM and normalises line ends", () => {
    const f = path.join(tmp, "a.txt");
    fs.writeFileSync(f, "\uFEFFline one\r\nline two\r\n");
    expect(loadTextFile(f)).toBe("line one\nline two\n");
  });
  it("names the path when the file is missing, a directory, empty, binary or not UTF-8", () => {
    const missing = path.join(tmp, "nope.txt");
    expect(() => loadTextFile(missing)).toThrow(`text file not found: ${missing}`);
    expect(() => loadTextFile(tmp)).toThrow(`expected a text file but ${tmp} is a directory`);
    const empty = path.join(tmp, "empty.txt");
    fs.writeFileSync(empty, " \n\n");
    expect(() => loadTextFile(empty)).toThrow(`text file is empty: ${empty}`);
    const bin = path.join(tmp, "x.bin");
    fs.writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    expect(() => loadTextFile(bin)).toThrow(`${bin} is not a text file`);
    const latin1 = path.join(tmp, "latin1.txt");
    fs.writeFileSync(latin1, Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café" in Latin-1
    expect(() => loadTextFile(latin1)).toThrow(`${latin1} is not valid UTF-8 text`);
  });
  it("names the path when the file cannot be read", () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const locked = path.join(tmp, "locked.txt");
    fs.writeFileSync(locked, "secret");
    fs.chmodSync(locked, 0o000);
    expect(() => loadTextFile(locked)).toThrow(`cannot read text file ${locked}`);
  });
});

describe("loadCorpusText and the tiny texts", () => {
  it("loads by name or by path", () => {
    const story = path.resolve(__dirname, "../../../datasets/tiny/story.txt");
    expect(loadCorpusText(story)).toBe(loadTinyText("story"));
    expect(loadCorpusText("sotu").startsWith("Fellow-Citizens")).toBe(true);
    expect(loadCorpusText("brown").startsWith("The Fulton County")).toBe(true);
    expect(() => loadCorpusText("sotuu")).toThrow(/text file not found: sotuu/);
    expect(() => loadCorpusText("")).toThrow('corpus must be "sotu", "brown" or a path to a text file, got ""');
  });
  it("the tiny texts are what the tests expect", () => {
    const story = corpusStats(loadTinyText("story"), { top: 3 });
    // Cross-checked with `wc -w` and `grep -ow WORD | wc -l`.
    expect(story.words).toBe(328);
    expect(story.topWords).toEqual([
      { word: "the", count: 53 },
      { word: "and", count: 23 },
      { word: "lighthouse", count: 12 },
    ]);
    const zh = corpusStats(loadTinyText("chinese"), { top: 2 });
    expect(zh.topWords).toEqual([
      { word: "小", count: 10 },
      { word: "船", count: 10 },
    ]);
    const ru = corpusStats(loadTinyText("russian"), { top: 3 });
    expect(ru.words).toBe(129);
    expect(ru.topWords.map((w) => w.word)).toEqual(["и", "маленький", "маяк"]);
  });
});

describe("corpusStats", () => {
  it("counts characters, words, sentences, vocabulary and top words", () => {
    expect(corpusStats("The cat saw the dog. The dog ran! 猫", { top: 2 })).toEqual({
      chars: 35,
      words: 9,
      sentences: 3,
      vocabulary: 6,
      topWords: [
        { word: "the", count: 3 },
        { word: "dog", count: 2 },
      ],
    });
  });
});

describe("setup notebook exercise", () => {
  it("accepts the year of the longest address and rejects others with a hint", async () => {
    const { checkLongestAddress, longestSotuAddress } = await import("../../../kernel-lib/src/lessons/00-setup/corpus-tour");
    const best = longestSotuAddress();
    expect(best).toMatchObject({ year: 1981, president: "Jimmy Carter" }); // whitespace split in Python: 33 558 words
    expect(best.words).toBeGreaterThan(30_000);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(() => checkLongestAddress(1981)).not.toThrow();
    expect(log.mock.calls[0][0]).toMatch(/^✓ 1981: Jimmy Carter.s address has/);
    log.mockRestore();
    expect(() => checkLongestAddress(1946)).toThrow("1946 is not the year of the longest address: count the words");
    expect(() => checkLongestAddress(1700)).toThrow("the addresses run from 1790 to 2021");
    expect(() => checkLongestAddress("1946")).toThrow('answer must be a year (an integer such as 1946), got "1946"');
  });
});
