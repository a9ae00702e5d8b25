// The "k6/http" module for tests/load/check.mjs: every request is recorded
// (method, URL, body, headers), never sent.
function record(method, url, body, params) {
	globalThis.__k6stub.requests.push({
		method, url: String(url), body: body == null ? null : String(body),
		headers: (params && params.headers) || {},
	});
	return { status: 200, body: '', headers: {}, timings: {} };
}
const http = {
	get: (url, params) => record('GET', url, null, params),
	post: (url, body, params) => record('POST', url, body, params),
	put: (url, body, params) => record('PUT', url, body, params),
	patch: (url, body, params) => record('PATCH', url, body, params),
	del: (url, body, params) => record('DELETE', url, body, params),
	request: (method, url, body, params) => record(method, url, body, params),
	expectedStatuses: (...ranges) => ({ ranges }),
	setResponseCallback: (cb) => { globalThis.__k6stub.responseCallback = cb; },
};
export default http;
