/** What the outline and the code lenses keep of their last answer, to redo only the steps an edit changed. */
import type { Step } from '../model/types';

/**
 * Last time's answer for a document's steps, found again by its first or its last step object (an
 * edit rarely replaces both), and held weakly: it goes with the steps, not with a module variable
 * that would keep a closed document's steps alive.
 */
export class StepListMemo<T extends { steps: readonly Step[] }> {
  private readonly byStep = new WeakMap<Step, T>();

  get(steps: readonly Step[]): T | undefined {
    if (steps.length === 0) return undefined;
    return this.byStep.get(steps[0]) ?? this.byStep.get(steps[steps.length - 1]);
  }

  set(memo: T): void {
    const { steps } = memo;
    if (steps.length === 0) return;
    this.byStep.set(steps[0], memo);
    this.byStep.set(steps[steps.length - 1], memo);
  }
}
