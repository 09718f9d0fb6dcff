import { LookupForm } from "~/components/ops/LookupForm";

export default function OpsHome() {
  return (
    <main className="ops-main" id="main">
      <h1>Support view</h1>
      <LookupForm />
      <section className="ops-card" aria-labelledby="dead-letters">
        <h2 id="dead-letters">Dead-letter sweeps</h2>
        {/* TODO(wp/queues): render listDeadLetters(db) here once the sweep_dead_letters table exists
            (queue aovis-sweeps, DLQ aovis-sweeps-dlq). Until then there is nothing to list. */}
        <p className="ops-muted">
          Sweeps that failed every retry will be listed here (queue <code>aovis-sweeps</code>, dead-letter queue <code>aovis-sweeps-dlq</code>). See
          docs/operations.md for draining the queue with <code>wrangler queues</code>.
        </p>
      </section>
    </main>
  );
}
