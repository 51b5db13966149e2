/**
 * Each notebook's `parameters` cell agrees with its lesson's one declaration: the same names in
 * the same order (after `mode`), each comment the declaration's help (followed by what null takes,
 * when the cell says null), and each value written in the cell the declared default of every mode.
 */
import { describe, expect, it } from "vitest";
import { LESSON_PARAMS } from "../../../kernel-lib/src/lessons/params";
import { MODES, type ParamSpec } from "../../../kernel-lib/src/runtime/params";
import { cellLines, notebookNames, parametersCell } from "./cell-lines";

describe("every notebook's parameters cell matches its declaration", () => {
  it("every notebook has a declaration and every declaration a notebook", () => {
    expect(Object.keys(LESSON_PARAMS).sort()).toEqual(notebookNames());
  });

  for (const name of notebookNames()) {
    describe(name, () => {
      const decl = LESSON_PARAMS[name];
      const lines = cellLines(parametersCell(name));

      it('starts with mode = "workshop" and declares exactly the declared parameters, in order', () => {
        expect(lines[0].name).toBe("mode");
        expect(lines[0].valueText).toBe('"workshop"');
        expect(lines.slice(1).map((l) => l.name)).toEqual([...decl.names]);
      });

      it("comments are the declaration's help (and what null takes)", () => {
        for (const l of lines.slice(1)) {
          expect(l.comment, l.name).toBe(decl.cellComment(l.name as never, l.valueText === "null"));
        }
      });

      it("values written in the cell are the default of every mode; types match", () => {
        for (const l of lines.slice(1)) {
          const spec = decl.specs[l.name as keyof typeof decl.specs] as ParamSpec;
          if (l.type !== null) {
            const numeric = spec.type === "number" || spec.type === "integer";
            expect(l.type, l.name).toMatch(numeric ? /\bnumber\b/ : spec.type === "boolean" ? /\bboolean\b/ : /\bstring\b|"/);
            if (l.valueText === "null") expect(l.type, `${l.name} is null in the cell: its type must allow null`).toMatch(/\bnull\b/);
          }
          if (l.valueText === "null") continue;
          const value = JSON.parse(l.valueText) as unknown;
          const presets = decl.presets();
          for (const m of MODES) expect(presets[m][l.name as keyof (typeof presets)[typeof m]], `${l.name} in ${m} mode`).toEqual(value);
          expect(() => decl.validate(l.name, value)).not.toThrow();
        }
      });

      it("every mode's defaults pass the declaration's own rules and checks", () => {
        for (const m of MODES) expect(() => decl.resolve(m, {}, { print: false })).not.toThrow();
      });
    });
  }
});
