package dev.appservice.operator.desired;

/**
 * What a front-end container runs: nginx, and a loop beside it that applies a changed
 * configuration with nginx's graceful reload. The kubelet updates the mounted ConfigMaps and
 * Secret in place (one atomic switch per volume); every {@value #POLL_SECONDS} seconds the loop
 * compares a checksum of the files, and when they changed and are complete (every shard the main
 * file lists is present with the content it names), checks them with {@code nginx -t} and
 * reloads (SIGHUP to the master). A reload starts new worker processes on the new configuration while the old ones
 * finish the requests they have, so no request in flight fails; a configuration nginx refuses is
 * not applied (the running one stays, and the refusal is logged). On SIGTERM nginx quits
 * gracefully (SIGQUIT: signalled by process id, so even a broken mounted file cannot keep it up). {@code /bin/sh}, {@code cksum}, {@code grep} and {@code head} are in every nginx
 * image (Debian's and Alpine's).
 *
 * <p>The apps' own certificates ({@link AppCertificates}) are files named by their content, in a
 * directory of their own: the checksum covers them, and a configuration is complete only once every
 * certificate and key file it names is there, so a configuration that arrives before the
 * certificates it names waits for them instead of failing {@code nginx -t}.
 *
 * <p>The directories and the poll interval can be overridden by the environment variables
 * {@code CONF_DIR}, {@code TLS_DIR}, {@code CERTS_DIR} and {@code POLL_SECONDS} (the tests run this very script).
 */
public final class FrontEndProcess {
    public static final int POLL_SECONDS = 2;

    public static final String SCRIPT = """
            conf="${CONF_DIR:-%s}"
            tls="${TLS_DIR:-%s}"
            certs="${CERTS_DIR:-%s}"
            main="$conf/%s"
            marker='%s'
            state() { cat "$conf"/*.conf "$tls"/tls.crt "$tls"/tls.key "$certs"/* 2>/dev/null | cksum; }
            complete() {
              grep "^$marker" "$main" | while IFS= read -r line; do
                file="${line#"$marker"}"; file="${file%%%% *}"
                [ "$(head -n 1 "$conf/$file" 2>/dev/null)" = "$line" ] || exit 1
              done || return 1
              grep -ho 'ssl_certificate[_a-z]* [^;]*' "$conf"/*.conf | while read -r directive file; do
                [ -f "$file" ] || exit 1
              done
            }
            nginx -e stderr -c "$main" -g 'daemon off;' &
            pid=$!
            trap 'kill -QUIT "$pid"; wait "$pid"; exit 0' TERM INT QUIT
            last=$(state)
            while kill -0 "$pid" 2>/dev/null; do
              sleep "${POLL_SECONDS:-%d}" & wait $!
              now=$(state)
              [ "$now" = "$last" ] && continue
              if ! complete; then echo "front end: waiting for every part of the new configuration" >&2; continue; fi
              if nginx -e stderr -c "$main" -t -q; then
                kill -HUP "$pid" && echo "front end: configuration reloaded" >&2
              else
                echo "front end: nginx refused the new configuration; the running one stays" >&2
              fi
              last=$now
            done
            wait "$pid"
            """.formatted(
                    NginxConfig.CONFIG_DIRECTORY,
                    NginxConfig.TLS_DIRECTORY,
                    AppCertificates.DIRECTORY,
                    NginxConfig.MAIN_FILE,
                    NginxConfig.SHARD_MARKER,
                    POLL_SECONDS);

    private FrontEndProcess() {}
}
