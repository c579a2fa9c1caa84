// nginx from Debian's packages in front of several app servers, as README's deployment runs it
// ("Running on PostgreSQL"): the scale-out test and the benchmark's --app-servers line start it.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx'

/** nginx passing each request to the next app server, and to another when one refuses the connection. */
function nginxConfig(dir: string, port: number, upstreams: number[]): string {
  return `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream sectorpulse {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=30s;`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 2m;
    location / {
      proxy_pass http://sectorpulse;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $http_x_forwarded_for;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
    }
  }
}
`
}

export interface RunningNginx {
  /** Where its configuration and error.log are. */
  dir: string
  stop: () => void
}

/** Starts nginx on 127.0.0.1:`port` in front of the app servers on `upstreams`; resolves once it answers /healthz. */
export async function startNginx(port: number, upstreams: number[]): Promise<RunningNginx> {
  if (!existsSync(NGINX)) throw new Error(`No nginx at ${NGINX}: apt-get install nginx (or set NGINX_PATH).`)
  const dir = mkdtempSync(join(tmpdir(), 'sectorpulse-nginx-'))
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port, upstreams))
  const nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  nginx.stderr!.on('data', (chunk) => (output += chunk))
  for (const deadline = Date.now() + 15_000; ; ) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited: ${output}`)
    if ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok) break
    if (Date.now() > deadline) throw new Error(`nginx did not answer: ${output}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { dir, stop: () => void nginx.kill('SIGTERM') }
}
