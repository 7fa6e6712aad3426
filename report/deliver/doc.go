// Package deliver sends the bulletin and the self-inspection reports to the
// city bureau on schedule, each period exactly once unless a person asks
// again. The command line ("bulletin due", "send", "withhold", "history")
// and the web console call it; it prints nothing and returns what it did.
//
// Its heart is Decide, a pure function of a Situation (the period, when it
// fell due, the ledger's history of it, the clock, what a person asked):
// every rule of docs/deployment.md lives there and in its table test. A
// Service carries the decision out through small interfaces: Builder
// (writes the documents), Mailer (SMTP), Ledger (the record of deliveries,
// and the lock), Archive (keeps what was sent).
//
// The rules, in short:
//   - a period is delivered at most once by itself; only a person sends it
//     again (ForceAsked, ResendAsked);
//   - a send whose outcome is unclear (killed mid-send, connection dropped
//     or reply lost after DATA) waits for a person: it is never retried;
//   - a period is sent only after it ended, whatever a person asks;
//   - the catch-up window is measured from the latest time any run has
//     seen, so a clock set back never widens it;
//   - once sent, a period stays sent: a failed resend is recorded but sends
//     nothing by itself;
//   - a send whose archive could not be written is an error for the
//     operator (the mail went, the record of it is incomplete).
//
// A caller other than the command line (the web console) uses the same
// calls: Due(ctx, true) lists every period with its Decision without acting;
// History returns the ledger's entries; Send and Withhold act for a person.
// A Service is safe for concurrent use: the ledger lock orders the calls.
//
// Locking: the ledger lock is held only for ledger transitions and the
// SMTP transaction itself, never while documents are built or read. Each
// action decides twice: once to know what to build, and again under the
// lock on the ledger as it then is, so that two runs never send a period
// twice.
package deliver
