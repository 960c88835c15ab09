import { describe, expect, it } from 'vitest';
import { fitTfidf, jacobiEigen, randomizedSvd } from './lexical.js';
import { seededRandom } from './util.js';
import type { Csr } from './lexical.js';

function denseToCsr(rows: number[][]): Csr {
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  for (const r of rows) {
    r.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        data.push(v);
      }
    });
    indptr.push(indices.length);
  }
  return { rows: rows.length, cols: rows[0].length, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float32Array.from(data) };
}

describe('TF-IDF', () => {
  it('uses smoothed idf, sublinear tf and L2 rows', () => {
    const { model, matrix } = fitTfidf(['apple apple banana', 'banana cherry'], { bigrams: false });
    expect([...model.vocabulary.keys()]).toEqual(['apple', 'banana', 'cherry']);
    const idfApple = Math.log(3 / 2) + 1;
    expect(model.idf[0]).toBeCloseTo(idfApple, 6);
    expect(model.idf[1]).toBeCloseTo(1, 6);
    // row 0: apple (1 + ln 2)·idf, banana 1·1
    const a = (1 + Math.log(2)) * idfApple;
    const norm = Math.hypot(a, 1);
    expect(matrix.data[0]).toBeCloseTo(a / norm, 5);
    expect(matrix.data[1]).toBeCloseTo(1 / norm, 5);
  });
});

describe('randomized SVD', () => {
  it('finds the singular values of a matrix (vs the eigenvalues of AᵀA by Jacobi)', () => {
    const rand = seededRandom(3);
    const rows = Array.from({ length: 40 }, () => Array.from({ length: 12 }, () => (rand() < 0.4 ? rand() : 0)));
    const a = denseToCsr(rows);
    const ata = new Float64Array(12 * 12);
    for (const r of rows) for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) ata[i * 12 + j] += r[i] * r[j];
    const exact = Array.from(jacobiEigen(ata, 12).values).map((x) => Math.sqrt(Math.max(0, x))).sort((x, y) => y - x);
    const svd = randomizedSvd(a, 4, { seed: 1 });
    svd.singularValues.forEach((s, i) => expect(s).toBeCloseTo(exact[i], 4));
    // coordinates U Σ: their column norms are the singular values
    for (let t = 0; t < 4; t++) {
      const norm = Math.sqrt(svd.coords.reduce((acc, r) => acc + r[t] * r[t], 0));
      expect(norm).toBeCloseTo(exact[t], 3);
    }
  });
  it('is deterministic for a seed', () => {
    const a = denseToCsr([[1, 0, 2], [0, 3, 0], [4, 0, 5], [0, 1, 1]]);
    expect(randomizedSvd(a, 2, { seed: 9 }).coords).toEqual(randomizedSvd(a, 2, { seed: 9 }).coords);
  });
});
