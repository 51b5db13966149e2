/**
 * Compressed sparse row (CSR) matrices on typed arrays.
 *
 * A document-term matrix is almost all zeros: a State of the Union address uses a few thousand of
 * the tens of thousands of words in the vocabulary. CSR stores only the non-zeros, row by row:
 * row `r` owns the slots `indptr[r] .. indptr[r + 1] - 1` of `indices` (column numbers, sorted)
 * and `data` (the values). This is the layout scikit-learn (scipy.sparse.csr_matrix) uses too.
 */
export interface CsrMatrix {
  /** Number of rows (documents). */
  nRows: number;
  /** Number of columns (vocabulary size). */
  nCols: number;
  /** Row pointers, length nRows + 1; indptr[0] = 0, indptr[nRows] = number of non-zeros. */
  indptr: Int32Array;
  /** Column index of each stored value, sorted ascending within a row. */
  indices: Int32Array;
  /** The stored values. */
  data: Float64Array;
}

/** Build a CSR matrix from one `Map<column, value>` per row (zeros are dropped, columns sorted). */
export function csrFromRows(rows: Map<number, number>[], nCols: number): CsrMatrix {
  if (!Number.isInteger(nCols) || nCols < 0) throw new RangeError(`nCols must be an integer >= 0, got ${nCols}`);
  let nnz = 0;
  for (const row of rows) nnz += row.size;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let k = 0;
  rows.forEach((row, r) => {
    const cols = [...row.keys()].sort((a, b) => a - b);
    for (const c of cols) {
      if (c < 0 || c >= nCols) throw new RangeError(`column index must be in [0, ${nCols}), got ${c} in row ${r}`);
      const v = row.get(c)!;
      if (v === 0) continue;
      indices[k] = c;
      data[k] = v;
      k++;
    }
    indptr[r + 1] = k;
  });
  return { nRows: rows.length, nCols, indptr, indices: indices.slice(0, k), data: data.slice(0, k) };
}

/** Row `r` as a dense Float64Array of length nCols. */
export function denseRow(m: CsrMatrix, r: number): Float64Array {
  checkRow(m, r);
  const out = new Float64Array(m.nCols);
  for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) out[m.indices[k]] = m.data[k];
  return out;
}

/** The whole matrix as dense rows (for small matrices: tests, tables, the order demonstration). */
export function toDense(m: CsrMatrix): number[][] {
  return Array.from({ length: m.nRows }, (_, r) => Array.from(denseRow(m, r)));
}

/** The value at (r, c), 0 when not stored. Binary search in the row's sorted columns. */
export function getValue(m: CsrMatrix, r: number, c: number): number {
  checkRow(m, r);
  let lo = m.indptr[r];
  let hi = m.indptr[r + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const col = m.indices[mid];
    if (col === c) return m.data[mid];
    if (col < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** A new CSR matrix holding the given rows, in the given order (train/test splits). */
export function selectRows(m: CsrMatrix, rows: ArrayLike<number>): CsrMatrix {
  let nnz = 0;
  for (let i = 0; i < rows.length; i++) {
    checkRow(m, rows[i]);
    nnz += m.indptr[rows[i] + 1] - m.indptr[rows[i]];
  }
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let k = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    for (let j = m.indptr[r]; j < m.indptr[r + 1]; j++, k++) {
      indices[k] = m.indices[j];
      data[k] = m.data[j];
    }
    indptr[i + 1] = k;
  }
  return { nRows: rows.length, nCols: m.nCols, indptr, indices, data };
}

/** Euclidean (l2) norm of every row. */
export function rowNorms(m: CsrMatrix): Float64Array {
  const out = new Float64Array(m.nRows);
  for (let r = 0; r < m.nRows; r++) {
    let s = 0;
    for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) s += m.data[k] * m.data[k];
    out[r] = Math.sqrt(s);
  }
  return out;
}

/** Sum of every column (for counts: how often each term occurs in the whole corpus). */
export function columnSums(m: CsrMatrix): Float64Array {
  const out = new Float64Array(m.nCols);
  for (let k = 0; k < m.indptr[m.nRows]; k++) out[m.indices[k]] += m.data[k];
  return out;
}

function checkRow(m: CsrMatrix, r: number): void {
  if (!Number.isInteger(r) || r < 0 || r >= m.nRows) {
    throw new RangeError(`row must be an integer in [0, ${m.nRows}), got ${r}`);
  }
}
