// A layered layout of a cadence map, left to right, kept small: cycles
// broken by a depth-first search, longest-path layers, a few barycentre
// sweeps to order each layer, exits in a last column of their own.

export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 40;
const GAP_X = 210;
const GAP_Y = 70;
const MARGIN = 24;
const LABEL_CHARS = 30;
const LINE_HEIGHT = 13;
// the width of a character of a label (11 px), roughly
const CHAR_WIDTH = 6.2;
const SWEEPS = 4;

/** Words of ``parts`` on lines of at most LABEL_CHARS characters (a part
 * longer than that stays whole). */
export function wrapLabel(parts) {
    const lines = [];
    for (const part of parts) {
        const last = lines.length - 1;
        if (last >= 0 && lines[last].length + part.length + 3 <= LABEL_CHARS) {
            lines[last] = `${lines[last]} · ${part}`;
        } else {
            lines.push(part);
        }
    }
    return lines;
}

/** Depth-first search from the roots: the pairs [source, target] that close
 * a cycle (drawn backwards, ignored by the layering). */
function backPairs(nodeIds, successors) {
    const state = new Map(); // 1: on the stack, 2: done
    const back = new Set();
    const visit = (root) => {
        const stack = [[root, 0]];
        state.set(root, 1);
        while (stack.length) {
            const top = stack[stack.length - 1];
            const next = (successors.get(top[0]) || [])[top[1]++];
            if (next === undefined) {
                state.set(top[0], 2);
                stack.pop();
            } else if (state.get(next) === 1) {
                back.add(`${top[0]}>${next}`);
            } else if (!state.has(next)) {
                state.set(next, 1);
                stack.push([next, 0]);
            }
        }
    };
    for (const id of nodeIds) {
        if (!state.has(id)) {
            visit(id);
        }
    }
    return back;
}

/** Longest-path layers of the graph without its back pairs. */
function layers(nodeIds, forward) {
    const indegree = new Map(nodeIds.map((id) => [id, 0]));
    for (const targets of forward.values()) {
        for (const target of targets) {
            indegree.set(target, indegree.get(target) + 1);
        }
    }
    const layer = new Map(nodeIds.map((id) => [id, 0]));
    const queue = nodeIds.filter((id) => !indegree.get(id));
    while (queue.length) {
        const id = queue.shift();
        for (const target of forward.get(id) || []) {
            layer.set(target, Math.max(layer.get(target), layer.get(id) + 1));
            indegree.set(target, indegree.get(target) - 1);
            if (!indegree.get(target)) {
                queue.push(target);
            }
        }
    }
    return layer;
}

/** Reorder each layer by the mean position of its neighbours in ``from``. */
function sweep(rows, neighbours, order, down) {
    const range = down ? rows.keys() : [...rows.keys()].reverse();
    for (const index of range) {
        const mean = new Map();
        for (const id of rows[index]) {
            const known = (neighbours.get(id) || []).filter((other) => order.has(other));
            const positions = known.map((other) => order.get(other));
            mean.set(
                id,
                positions.length
                    ? positions.reduce((a, b) => a + b, 0) / positions.length
                    : order.get(id)
            );
        }
        rows[index].sort((a, b) => mean.get(a) - mean.get(b));
        rows[index].forEach((id, position) => order.set(id, position));
    }
}

/** Rows of node ids per layer, ordered to cross few edges. */
function orderedRows(nodes, layer, forward) {
    const exits = nodes.filter((node) => node.kind === "exit").map((node) => node.id);
    const others = nodes.filter((node) => node.kind !== "exit").map((node) => node.id);
    const last = others.length ? Math.max(...others.map((id) => layer.get(id))) + 1 : 0;
    const rows = Array.from({ length: last + (exits.length ? 1 : 0) }, () => []);
    for (const id of others) {
        rows[layer.get(id)].push(id);
    }
    if (exits.length) {
        rows[last].push(...exits);
    }
    const predecessors = new Map();
    for (const [source, targets] of forward) {
        for (const target of targets) {
            predecessors.set(target, [...(predecessors.get(target) || []), source]);
        }
    }
    const order = new Map();
    rows.forEach((row) => row.forEach((id, position) => order.set(id, position)));
    for (let i = 0; i < SWEEPS; i++) {
        sweep(rows, predecessors, order, true);
        sweep(rows, forward, order, false);
    }
    return rows;
}

/** Where each node sits: {id: {x, y, layer}}, and the drawing's size. */
function place(rows) {
    const tallest = Math.max(1, ...rows.map((row) => row.length));
    const positions = {};
    rows.forEach((row, layer) => {
        const offset = ((tallest - row.length) * (NODE_HEIGHT + GAP_Y)) / 2;
        row.forEach((id, index) => {
            positions[id] = {
                x: MARGIN + layer * (NODE_WIDTH + GAP_X),
                y: MARGIN + 2 * LINE_HEIGHT + offset + index * (NODE_HEIGHT + GAP_Y),
                layer,
            };
        });
    });
    return {
        positions,
        width: 2 * MARGIN + rows.length * (NODE_WIDTH + GAP_X) - GAP_X,
        height: 2 * MARGIN + 4 * LINE_HEIGHT + tallest * (NODE_HEIGHT + GAP_Y),
    };
}

/** The path of one arrow from ``from`` to ``to`` (the k-th of its pair), and
 * where its label goes; ``lane``: for a forward arrow over columns between
 * them, the height it runs at to pass their boxes (else null). */
function arrow(from, to, k, kind, lane = null) {
    const shift = k * 2 * LINE_HEIGHT;
    if (kind === "loop") {
        const x = from.x + NODE_WIDTH / 2;
        const top = from.y - 28 - shift;
        return {
            path: `M ${x - 20} ${from.y} C ${x - 40} ${top}, ${x + 40} ${top}, ${x + 20} ${from.y}`,
            labelX: x,
            labelY: top - 4,
        };
    }
    if (kind === "back") {
        const x1 = from.x + NODE_WIDTH / 2;
        const x2 = to.x + NODE_WIDTH / 2;
        const y1 = from.y + NODE_HEIGHT;
        const y2 = to.y + NODE_HEIGHT;
        const bottom = Math.max(y1, y2) + 40 + shift;
        return {
            path: `M ${x1} ${y1} C ${x1} ${bottom}, ${x2} ${bottom}, ${x2} ${y2}`,
            labelX: (x1 + x2) / 2,
            labelY: bottom - 6,
        };
    }
    const x1 = from.x + NODE_WIDTH;
    const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x;
    const y2 = to.y + NODE_HEIGHT / 2;
    if (lane !== null) {
        // across the columns between: in the gap after the source, along a
        // lane above or below their boxes, down or up in the gap before the
        // target (never through a box, which would seem to be its source)
        const y = lane + (lane < y1 ? -shift : shift);
        const xa = x1 + GAP_X / 2;
        const xb = x2 - GAP_X / 2;
        return {
            path:
                `M ${x1} ${y1} C ${xa} ${y1}, ${x1} ${y}, ${xa} ${y} ` +
                `L ${xb} ${y} C ${x2} ${y}, ${xb} ${y2}, ${x2} ${y2}`,
            labelX: xa + (xb - xa) / 2,
            labelY: y - 4,
        };
    }
    const bend = Math.max(40, (x2 - x1) / 2);
    return {
        path: `M ${x1} ${y1} C ${x1 + bend} ${y1 + shift}, ${x2 - bend} ${y2 + shift}, ${x2} ${y2}`,
        labelX: x1 + Math.min(GAP_X, x2 - x1) / 2,
        labelY: y1 + (y2 - y1) * (Math.min(GAP_X, x2 - x1) / 2 / (x2 - x1)) + shift - 4,
    };
}

/** The height at which a forward arrow from ``from`` to ``to`` passes the
 * boxes of the columns between them: above them or below, on the side
 * nearer to its ends; null when no column lies between. */
function laneBetween(from, to, positions) {
    const between = Object.values(positions).filter(
        (position) => position.layer > from.layer && position.layer < to.layer
    );
    if (!between.length) {
        return null;
    }
    const top = Math.min(...between.map((position) => position.y));
    const bottom = Math.max(...between.map((position) => position.y + NODE_HEIGHT));
    const ends = (from.y + to.y) / 2 + NODE_HEIGHT / 2;
    return ends <= (top + bottom) / 2 ? top - 2 * LINE_HEIGHT : bottom + 2 * LINE_HEIGHT;
}

/** Push labels of the same column down until they no longer overlap. */
function spreadLabels(arrows) {
    const columns = new Map();
    for (const item of arrows) {
        const key = Math.round(item.labelX);
        columns.set(key, [...(columns.get(key) || []), item]);
    }
    for (const column of columns.values()) {
        column.sort((a, b) => a.labelY - b.labelY);
        let bottom = -Infinity;
        for (const item of column) {
            const top = item.labelY - item.lines.length * LINE_HEIGHT;
            if (top < bottom) {
                item.labelY += bottom - top;
            }
            bottom = item.labelY + 4;
        }
    }
}

/** Arrows that go back run in bands below everything else, one band per
 * arrow whose label would overlap another's. */
function bandBackArrows(arrows, positions) {
    const back = arrows.filter((item) => item.kind === "back");
    if (!back.length) {
        return;
    }
    const bottoms = [
        ...Object.values(positions).map((position) => position.y + NODE_HEIGHT),
        ...arrows
            .filter((item) => item.kind !== "back" && item.lines.length)
            .map((item) => item.labelY + 4),
    ];
    const base = Math.max(...bottoms) + 2 * LINE_HEIGHT;
    const bands = []; // per band, the x intervals of its labels
    for (const item of back.sort((a, b) => a.labelX - b.labelX)) {
        const half = Math.max(item.labelWidth, 40) / 2;
        const interval = [item.labelX - half, item.labelX + half];
        let band = bands.findIndex((taken) =>
            taken.every(([left, right]) => interval[1] < left || interval[0] > right)
        );
        if (band < 0) {
            band = bands.push([]) - 1;
        }
        bands[band].push(interval);
        const from = positions[item.edge.source];
        const to = positions[item.target];
        const depth = base + band * (item.lines.length + 1.5) * LINE_HEIGHT;
        const x1 = from.x + NODE_WIDTH / 2;
        const x2 = to.x + NODE_WIDTH / 2;
        const y1 = from.y + NODE_HEIGHT;
        const y2 = to.y + NODE_HEIGHT;
        item.path = `M ${x1} ${y1} C ${x1} ${depth}, ${x2} ${depth}, ${x2} ${y2}`;
        // the curve's lowest point is 3/4 of the way to its control points
        item.labelY = y1 + (depth - y1) * 0.75 + (item.lines.length ? item.lines.length * LINE_HEIGHT : 0);
    }
}

/**
 * Lay out ``cadenceMap`` ({nodes, edges} from get_cadence_map): nodes with
 * x, y; arrows (one per edge and target) with an SVG path and their label's
 * lines and place; the drawing's width and height.
 */
export function layoutCadenceMap(cadenceMap, figureLine) {
    const nodes = cadenceMap.nodes;
    const nodeIds = nodes.map((node) => node.id);
    const successors = new Map();
    for (const edge of cadenceMap.edges) {
        for (const target of edge.targets) {
            if (target !== edge.source) {
                successors.set(edge.source, [...(successors.get(edge.source) || []), target]);
            }
        }
    }
    const back = backPairs(nodeIds, successors);
    const forward = new Map(
        [...successors].map(([source, targets]) => [
            source,
            [...new Set(targets.filter((target) => !back.has(`${source}>${target}`)))],
        ])
    );
    const rows = orderedRows(nodes, layers(nodeIds, forward), forward);
    const { positions, width, height } = place(rows);
    const seen = new Map();
    const arrows = [];
    for (const edge of cadenceMap.edges) {
        edge.targets.forEach((target, index) => {
            const from = positions[edge.source];
            const to = positions[target];
            const kind =
                target === edge.source
                    ? "loop"
                    : to.layer <= from.layer
                    ? "back"
                    : "forward";
            const pair = `${edge.source}>${target}`;
            const k = seen.get(pair) || 0;
            seen.set(pair, k + 1);
            const parts = edge.label ? edge.label.split(" · ") : [];
            // the label and figures once per rule, on its first arrow
            const lines = index ? [] : wrapLabel(parts);
            if (!index && edge.figures) {
                lines.push(figureLine(edge.figures));
            }
            const labelWidth = Math.max(0, ...lines.map((line) => line.length)) * CHAR_WIDTH + 8;
            arrows.push({
                key: `${edge.id}-${index}`,
                edge,
                target,
                kind,
                lines,
                labelWidth,
                ...arrow(
                    from,
                    to,
                    k,
                    kind,
                    kind === "forward" ? laneBetween(from, to, positions) : null
                ),
            });
        });
    }
    spreadLabels(arrows.filter((item) => item.lines.length && item.kind !== "back"));
    bandBackArrows(arrows, positions);
    // the drawing's bounds: nodes, labels, loops (which rise above their node)
    const labelled = arrows.filter((item) => item.lines.length);
    const tops = [
        ...Object.values(positions).map((position) => position.y),
        ...labelled.map((item) => item.labelY - item.lines.length * LINE_HEIGHT),
        ...arrows.filter((item) => item.kind === "loop").map((item) => item.labelY),
    ];
    const top = Math.min(...tops, MARGIN) - MARGIN / 2;
    const lowest = Math.max(
        height - MARGIN,
        ...labelled.map((item) => item.labelY + LINE_HEIGHT),
        ...arrows.filter((item) => item.kind === "back").map((item) => item.labelY + LINE_HEIGHT)
    );
    return {
        top,
        nodes: nodes.map((node) => ({ ...node, ...positions[node.id] })),
        arrows,
        width: Math.max(width, NODE_WIDTH + 2 * MARGIN),
        height: lowest + MARGIN / 2,
        lineHeight: LINE_HEIGHT,
    };
}
