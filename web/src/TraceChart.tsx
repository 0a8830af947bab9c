/** An analysis over time, charted with uPlot: one chart per question the judges asked. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TracePoint } from './api';

interface Line {
  label: string;
  color: string;
  value: (p: TracePoint) => number | undefined;
  dash?: boolean;
}

export interface ChartSpec {
  title: string;
  unit: string;
  lines: Line[];
}

const CANARY = '#d9480f';
const BASELINE = '#1c7ed6';

/** The charts a trace has data for. */
export function chartsFor(trace: TracePoint[]): ChartSpec[] {
  const has = (f: (p: TracePoint) => number | undefined) => trace.some((p) => f(p) !== undefined);
  const pct = (x: number | undefined) => (x === undefined ? undefined : x * 100);
  const charts: ChartSpec[] = [
    {
      title: 'Error rate',
      unit: '%',
      lines: [
        { label: 'canary', color: CANARY, value: (p) => pct(p.canaryErrorRate) },
        { label: 'baseline', color: BASELINE, value: (p) => pct(p.baselineErrorRate) },
      ],
    },
    {
      title: 'Sequential error test',
      unit: 'ln',
      lines: [
        { label: 'ln Λ (evidence of a regression)', color: CANARY, value: (p) => p.logLambda },
        { label: 'fail bound', color: CANARY, value: (p) => p.failBound, dash: true },
        { label: 'evidence of health', color: '#2b8a3e', value: (p) => p.logAccept },
        { label: 'accept bound', color: '#2b8a3e', value: (p) => p.acceptBound, dash: true },
      ],
    },
    {
      title: 'Latency p95',
      unit: 'ms',
      lines: [
        { label: 'canary', color: CANARY, value: (p) => p.canaryP95Ms },
        { label: 'baseline', color: BASELINE, value: (p) => p.baselineP95Ms },
      ],
    },
  ];
  const names = [...new Set(trace.flatMap((p) => Object.keys(p.metrics ?? {})))];
  if (names.length)
    charts.push({
      title: 'Metrics',
      unit: '',
      lines: names.map((name, i) => ({
        label: name,
        color: ['#5f3dc4', '#e8590c', '#0b7285', '#5c940d'][i % 4]!,
        value: (p) => p.metrics?.[name],
      })),
    });
  return charts
    .map((c) => ({ ...c, lines: c.lines.filter((l) => has(l.value)) }))
    .filter((c) => c.lines.length > 0);
}

export function TraceChart({ trace, chart }: { trace: TracePoint[]; chart: ChartSpec }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return undefined;
    const data: uPlot.AlignedData = [
      trace.map((p) => p.t / 1000),
      ...chart.lines.map((l) => trace.map((p) => l.value(p) ?? null)),
    ];
    const plot = new uPlot(
      {
        width: 380,
        height: 180,
        scales: { x: { time: false } },
        axes: [{ label: 'seconds since the analysis began' }, { label: chart.unit }],
        series: [
          { label: 's' },
          ...chart.lines.map((l) => ({
            label: l.label,
            stroke: l.color,
            width: 2,
            ...(l.dash ? { dash: [6, 4] } : {}),
          })),
        ],
      },
      data,
      box.current,
    );
    return () => plot.destroy();
  }, [trace, chart]);
  return (
    <figure className="chart" data-chart={chart.title}>
      <figcaption>{chart.title}</figcaption>
      <div ref={box} />
    </figure>
  );
}
