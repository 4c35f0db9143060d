import type { Forge } from '@fileforge/core';

type Sorter = Forge['sorter'];
type PlanLine = Awaited<ReturnType<Sorter['simulate']>>['items'][number];
type RunRecord = Awaited<ReturnType<Sorter['runs']['list']>>['items'][number];

/** A plan line as the API shows it. */
export const sortPlanItem = (line: PlanLine) => line;

/** A sort run (with or without its moves) as the API shows it: without the tenant, with links. */
export function sortRunResource<R extends RunRecord>(run: R) {
  const { tenant: _tenant, ...rest } = run;
  return {
    ...rest,
    links: { self: `/api/v1/sorter/runs/${run.id}`, undo: `/api/v1/sorter/runs/${run.id}/undo` },
  };
}
