/**
 * A trace as a layered graph: upstream lots to the left, the traced lot in the middle, downstream lots to the
 * right, one column per hop, arrows from inputs to outputs. Each node is a keyboard-focusable button.
 */
import type { KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { label } from '../i18n/labels';

/** A lot in the graph. */
export interface GraphNode {
  lotId: string;
  product: string;
  status: string;
  custodian: string;
  /** Negative: upstream hops; positive: downstream hops; 0: the traced lot. */
  layer: number;
}

/** An input → output link. */
export interface GraphEdge {
  from: string;
  to: string;
  kind: string;
}

const NODE_W = 214;
const NODE_H = 58;
const COL_GAP = 56;
const ROW_GAP = 14;

/** The graph; `onOpen` opens a lot. */
export function TraceGraph({
  nodes,
  edges,
  focusLotId,
  onOpen,
  names,
}: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  focusLotId: string;
  onOpen?: (lotId: string) => void;
  names?: Record<string, string>;
}) {
  const { t, lang } = useI18n();
  if (nodes.length === 0) return null;
  const layers = [...new Set(nodes.map((n) => n.layer))].sort((a, b) => a - b);
  const columns = new Map<number, GraphNode[]>();
  for (const node of nodes) columns.set(node.layer, [...(columns.get(node.layer) ?? []), node]);
  const tallest = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const width = layers.length * (NODE_W + COL_GAP) - COL_GAP + 20;
  const height = tallest * (NODE_H + ROW_GAP) - ROW_GAP + 20;
  const position = new Map<string, { x: number; y: number }>();
  layers.forEach((layer, col) => {
    const column = columns.get(layer) ?? [];
    const offset = ((tallest - column.length) * (NODE_H + ROW_GAP)) / 2;
    column.forEach((node, row) => {
      position.set(node.lotId, {
        x: 10 + col * (NODE_W + COL_GAP),
        y: 10 + offset + row * (NODE_H + ROW_GAP),
      });
    });
  });
  const key = (lotId: string) => (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen?.(lotId);
    }
  };
  return (
    <div
      className="graph-scroll"
      tabIndex={0}
      aria-label={t('追溯图（可横向滚动）', 'Trace graph (scrolls sideways)')}
    >
      <svg
        className="trace-graph"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="group"
        aria-label={t('追溯图：{n} 个批次', 'Trace graph: {n} lots', { n: nodes.length })}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className="graph-arrow" />
          </marker>
        </defs>
        {edges.map((edge) => {
          const a = position.get(edge.from);
          const b = position.get(edge.to);
          if (!a || !b) return null;
          const x1 = a.x + NODE_W;
          const y1 = a.y + NODE_H / 2;
          const x2 = b.x;
          const y2 = b.y + NODE_H / 2;
          const mid = (x1 + x2) / 2;
          return (
            <path
              key={`${edge.from}>${edge.to}`}
              d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 2},${y2}`}
              className="graph-edge"
              markerEnd="url(#arrow)"
            />
          );
        })}
        {nodes.map((node) => {
          const p = position.get(node.lotId);
          if (!p) return null;
          const custodian = names?.[node.custodian] ?? node.custodian;
          return (
            <g
              key={node.lotId}
              transform={`translate(${p.x} ${p.y})`}
              className={`graph-node graph-node-${node.status}${node.lotId === focusLotId ? ' graph-node-focus' : ''}`}
              tabIndex={0}
              role="button"
              aria-label={`${node.product} ${node.lotId}, ${label(lang, 'lotStatus', node.status)}, ${custodian}`}
              onClick={() => onOpen?.(node.lotId)}
              onKeyDown={key(node.lotId)}
            >
              <rect width={NODE_W} height={NODE_H} rx="8" />
              <text x="10" y="19" className="graph-title">
                {truncate(node.product, 24)}
              </text>
              <text x="10" y="35" className="graph-sub">
                {truncate(node.lotId, 32)}
              </text>
              <text x="10" y="50" className="graph-sub">
                {truncate(custodian, 22)} · {label(lang, 'lotStatus', node.status)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
