package paperkg;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs a real Neo4j Community server (embedded DBMS, Bolt connector only) for
 * paperkg's integration tests. Normally started and stopped by scripts/neo4j-server.
 *
 * <pre>
 * java -cp paperkg-neo4j-launcher.jar:lib/* paperkg.Neo4jLauncher \
 *     --password secret [--port 7687] [--host 127.0.0.1] [--data DIR] \
 *     [--log FILE] [--ready-file FILE] [--pagecache-mb 256]
 * </pre>
 *
 * <ul>
 *   <li>Bolt only (HTTP/HTTPS off, server-side routing off), unencrypted, bound to --host.</li>
 *   <li>Authentication on; user {@code neo4j} gets the given password with no change
 *       required, on a fresh store and on a reused one alike.</li>
 *   <li>--log: everything (our lines, Neo4j's user log, stack traces) is appended to
 *       that file instead of stdout. Neo4j's debug.log is in DATA/logs/.</li>
 *   <li>--ready-file: written atomically (content: the bolt URI) once Bolt is up AND the
 *       password is set; deleted again when shutdown starts.</li>
 *   <li>Runs until SIGTERM/SIGINT; a shutdown hook then stops the DBMS cleanly.</li>
 * </ul>
 */
public final class Neo4jLauncher {

    private static final Object READY_LOCK = new Object();
    private static volatile boolean stopping;

    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 7687;
        String password = System.getenv("NEO4J_PASSWORD");
        Path data = null;
        Path log = null;
        Path readyFile = null;
        long pagecacheMb = 256;

        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = (i + 1 < args.length) ? args[i + 1] : null;
            switch (a) {
                case "--host" -> { host = need(a, v); i++; }
                case "--port" -> { port = Integer.parseInt(need(a, v)); i++; }
                case "--password" -> { password = need(a, v); i++; }
                case "--data" -> { data = Path.of(need(a, v)); i++; }
                case "--log" -> { log = Path.of(need(a, v)); i++; }
                case "--ready-file" -> { readyFile = Path.of(need(a, v)); i++; }
                case "--pagecache-mb" -> { pagecacheMb = Long.parseLong(need(a, v)); i++; }
                case "-h", "--help" -> usage(null);
                default -> usage("unknown argument: " + a);
            }
        }
        if (password == null || password.isEmpty()) {
            usage("--password (or NEO4J_PASSWORD) is required");
        }
        if (log != null) {
            Path parent = log.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            PrintStream out = new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8);
            System.setOut(out);
            System.setErr(out);
        }
        data = (data == null) ? Files.createTempDirectory("paperkg-neo4j-") : data.toAbsolutePath();
        Files.createDirectories(data);
        if (readyFile != null) {
            Files.deleteIfExists(readyFile);
        }
        String uri = "bolt://" + host + ":" + port;

        // Registered before build() so a SIGTERM during startup still ends in a clean shutdown.
        AtomicReference<DatabaseManagementService> dbmsRef = new AtomicReference<>();
        CountDownLatch buildDone = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        final Path ready = readyFile;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (READY_LOCK) {
                stopping = true;
                deleteQuietly(ready);
            }
            say("shutdown requested, stopping Neo4j");
            try {
                buildDone.await(120, TimeUnit.SECONDS);
                DatabaseManagementService dbms = dbmsRef.get();
                if (dbms != null) {
                    dbms.shutdown();
                    say("Neo4j stopped cleanly");
                }
            } catch (Throwable t) {
                t.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "paperkg-neo4j-shutdown"));

        Instant t0 = Instant.now();
        say("starting Neo4j Community " + neo4jVersion() + " on " + uri + ", home " + data);
        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(data)
                    .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                    .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(host))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.routing_enabled, false)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
                    .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(512))
                    // Netty's graceful shutdown would otherwise add ~10 s to every stop.
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                    .build();
            dbmsRef.set(dbms);
        } catch (Throwable t) {
            say("Neo4j failed to start: " + t);
            t.printStackTrace();
            buildDone.countDown();
            if (!stopping) {
                System.exit(1);
            }
            return;
        } finally {
            buildDone.countDown();
        }

        if (!stopping) {
            try {
                setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            } catch (Throwable t) {
                if (!stopping) {
                    say("failed to set the password of user neo4j: " + t);
                    t.printStackTrace();
                    System.exit(3);
                }
            }
        }

        synchronized (READY_LOCK) {
            if (!stopping) {
                if (ready != null) {
                    Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
                    Files.writeString(tmp, uri + "\n");
                    Files.move(tmp, ready, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                say("READY " + uri + " (user neo4j) after " + Duration.between(t0, Instant.now()).toMillis() + " ms");
            }
        }
        stopped.await(); // park the main thread; the shutdown hook ends the JVM
    }

    /** Gives user neo4j the password (works on a fresh store and on a reused one). */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // A reused store that already has this password: Neo4j refuses to "change" to the same one.
            if (!String.valueOf(e.getMessage()).toLowerCase().contains("same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    private static String neo4jVersion() {
        Package p = DatabaseManagementService.class.getPackage();
        String v = (p == null) ? null : p.getImplementationVersion();
        return (v == null) ? "" : v;
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static String need(String flag, String value) {
        if (value == null) {
            usage("missing value for " + flag);
        }
        return value;
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("Neo4jLauncher: " + problem);
        }
        System.err.println("usage: Neo4jLauncher --password PW [--port 7687] [--host 127.0.0.1] [--data DIR]"
                + " [--log FILE] [--ready-file FILE] [--pagecache-mb 256]");
        System.exit(problem == null ? 0 : 2);
    }

    private static void say(String msg) {
        System.out.println(Instant.now() + " [paperkg-launcher] " + msg);
    }
}
