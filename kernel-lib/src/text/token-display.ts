import { splitWords } from "./split";
import { Tokenizer } from "./tokenizer";

/** One token of an encoded text: its id and what it shows as. */
export interface TokenPiece {
  id: number;
  text: string;
}

/** Encode `text` and pair every id with its readable form (`tokenizer.tokenText`). */
export function tokenPieces(tokenizer: Tokenizer, text: string): TokenPiece[] {
  return tokenizer.encode(text).map((id) => ({ id, text: tokenizer.tokenText(id) }));
}

const COLORS = ["#fde2a7", "#c8e6c9", "#bbdefb", "#f8bbd0", "#d1c4e9", "#ffccbc", "#b2ebf2", "#e6ee9c"];

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Make whitespace visible: space → "·", newline → "↵", tab → "→". */
export function visibleWhitespace(s: string): string {
  return s.replace(/ /g, "·").replace(/\n/g, "↵").replace(/\t/g, "→");
}

/**
 * HTML rows of coloured tokens, one row per tokenizer: each token a box with alternating colours
 * and its id on hover, so you can see where each tokenizer cuts the same text.
 */
export function tokensHtml(rows: { name: string; pieces: TokenPiece[] }[]): string {
  const out: string[] = ['<div style="font-family: monospace; font-size: 14px; line-height: 2.1">'];
  for (const row of rows) {
    out.push(`<div><b style="display:inline-block; min-width: 11em">${escapeHtml(row.name)} (${row.pieces.length} tokens)</b>`);
    row.pieces.forEach((p, i) => {
      const unk = p.text === "<unk>";
      const bg = unk ? "#ef9a9a" : COLORS[i % COLORS.length];
      out.push(
        `<span title="id ${p.id}" style="background:${bg}; border-radius:3px; padding:1px 2px; margin:0 1px; white-space:pre">${escapeHtml(visibleWhitespace(p.text))}</span>`,
      );
    });
    out.push("</div>");
  }
  out.push("</div>");
  return out.join("");
}

/** The same rows as plain text, tokens separated by "|", for outputs without HTML. */
export function tokensText(rows: { name: string; pieces: TokenPiece[] }[]): string {
  return rows.map((r) => `${r.name} (${r.pieces.length}): ${r.pieces.map((p) => visibleWhitespace(p.text)).join("|")}`).join("\n");
}

/**
 * Tokens per word: how many tokens a tokenizer spends on an average word of `text` (words as
 * `splitWords` counts them; each Chinese character is a word). Near 1 for English under a
 * vocabulary trained on English, several for scripts it rarely saw.
 */
export function tokensPerWord(tokenizer: Tokenizer, text: string): number {
  const words = splitWords(text).length;
  if (words === 0) throw new RangeError("text must contain at least one word");
  return tokenizer.encode(text).length / words;
}
