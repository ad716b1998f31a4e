import { type Group, groupFromGenerators } from "@isotropy/groups";
import { Matrix } from "@isotropy/linalg";

/**
 * The quaternion group Q8 = {±1, ±i, ±j, ±k} acting on R^4 = H by left multiplication, given by
 * its two generators i and j (4 x 4 orthogonal matrices in the basis 1, i, j, k).
 */
export function Q8(): Group {
  const i = Matrix.fromRows([
    [0, -1, 0, 0],
    [1, 0, 0, 0],
    [0, 0, 0, -1],
    [0, 0, 1, 0],
  ]);
  const j = Matrix.fromRows([
    [0, 0, -1, 0],
    [0, 0, 0, 1],
    [1, 0, 0, 0],
    [0, -1, 0, 0],
  ]);
  return groupFromGenerators({ name: "Q8", discrete: [i, j], finite: true });
}
