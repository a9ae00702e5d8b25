// The "k6" module for tests/load/check.mjs: randomSeed seeds the
// deterministic Math.random the checker installs; check, group and sleep
// do what a script needs of them.
export function randomSeed(seed) { globalThis.__k6stub.seed(seed); }
export function sleep() {}
export function check(value, checks) {
	return Object.values(checks || {}).every((f) => f(value));
}
export function group(name, f) { return f(); }
export default { randomSeed, sleep, check, group };
