// A small JSON client of one organisation's gateway, authenticated with its API token. Plain node:http with a
// keep-alive agent and no client-side timeout: a recall of 10,000 lots answers after minutes.
'use strict';
const http = require('node:http');

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** Calls one gateway; every answer is {status, body, ms, headers}. */
class Api {
  constructor(baseUrl, token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  request(method, path, body, headers = {}) {
    const all = { ...headers };
    if (this.token) all.authorization = `Bearer ${this.token}`;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) {
      all['content-type'] = 'application/json';
      all['content-length'] = String(payload.length);
    }
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const req = http.request(new URL(path, this.baseUrl), { method, headers: all, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          let parsed = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON: keep the text */
          }
          resolve({ status: res.statusCode, body: parsed, ms, headers: res.headers });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  get(path, headers) {
    return this.request('GET', path, undefined, headers);
  }

  post(path, body) {
    return this.request('POST', path, body ?? {});
  }

  /** POSTs and throws unless the status is one of `ok`. */
  async mustPost(path, body, ok = [200, 201]) {
    const res = await this.post(path, body);
    if (!ok.includes(res.status)) {
      throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    }
    return res;
  }
}

/** Lets the process exit: closes idle keep-alive sockets. */
function closeClients() {
  agent.destroy();
}

module.exports = { Api, closeClients };
