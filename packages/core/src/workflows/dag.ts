/**
 * The step graph of a workflow: edges are `needs` (a step points at the steps it waits for).
 * Finds cycles (strongly connected components, Tarjan) so the linter can name them, and the
 * steps that transitively depend on a broken part of the graph.
 *
 * @module
 */

/** `needs` per step name. */
export type StepGraph = Readonly<Record<string, { needs?: readonly string[] | undefined }>>;

/**
 * Every cycle of the graph, each as the step names in order with the first repeated at the
 * end (`['a', 'b', 'a']`); a step needing itself is `['a', 'a']`. Deterministic order.
 */
export function findCycles(graph: StepGraph): string[][] {
  const names = Object.keys(graph).sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const edges = (n: string) => (graph[n]?.needs ?? []).filter((m) => Object.hasOwn(graph, m));

  const visit = (n: string) => {
    index.set(n, counter);
    low.set(n, counter);
    counter++;
    stack.push(n);
    onStack.add(n);
    for (const m of edges(n)) {
      if (!index.has(m)) {
        visit(m);
        low.set(n, Math.min(low.get(n)!, low.get(m)!));
      } else if (onStack.has(m)) low.set(n, Math.min(low.get(n)!, index.get(m)!));
    }
    if (low.get(n) === index.get(n)) {
      const component: string[] = [];
      for (;;) {
        const m = stack.pop()!;
        onStack.delete(m);
        component.push(m);
        if (m === n) break;
      }
      if (component.length > 1 || edges(n).includes(n)) components.push(component);
    }
  };
  for (const n of names) if (!index.has(n)) visit(n);
  return components.map((component) => cyclePath(graph, component));
}

/**
 * A shortest cycle of a component through its alphabetically first step, closed on it
 * (`a → c → b → a`): breadth-first along `needs` until a step that needs the first one.
 */
function cyclePath(graph: StepGraph, component: string[]): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const needs = (n: string) => (graph[n]?.needs ?? []).filter((m) => members.has(m)).sort();
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!;
    for (const next of needs(at)) {
      if (next === start) {
        const back: string[] = [];
        for (let n = at; n !== start; n = cameFrom.get(n)!) back.push(n);
        return [start, ...back.reverse(), start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, at);
        queue.push(next);
      }
    }
  }
  return [start, start]; // not reached: every step of a component leads back to each other
}

/** Steps that (transitively) need one of `broken`, excluding the broken ones themselves. */
export function dependentsOf(graph: StepGraph, broken: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [name, step] of Object.entries(graph)) {
      if (broken.has(name) || out.has(name)) continue;
      if ((step.needs ?? []).some((m) => broken.has(m) || out.has(m))) {
        out.add(name);
        grew = true;
      }
    }
  }
  return out;
}

/** The steps `name` (transitively) needs. */
export function ancestorsOf(graph: StepGraph, name: string): Set<string> {
  const out = new Set<string>();
  const todo = [...(graph[name]?.needs ?? [])];
  while (todo.length > 0) {
    const m = todo.pop()!;
    if (out.has(m)) continue;
    out.add(m);
    todo.push(...(graph[m]?.needs ?? []));
  }
  return out;
}
