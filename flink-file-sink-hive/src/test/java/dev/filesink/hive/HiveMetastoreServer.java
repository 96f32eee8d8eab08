package dev.filesink.hive;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HMSHandler;
import org.apache.hadoop.hive.metastore.HMSHandlerProxyFactory;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.IHMSHandler;
import org.apache.hadoop.hive.metastore.TSetIpAddressProcessor;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf.ConfVars;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real standalone Hive Metastore (Hive's own {@link HMSHandler} on its ObjectStore and an embedded, in-memory Derby
 * database) serving its Thrift API on a free loopback port, in this JVM.
 *
 * <p>One per JVM: {@link #shared()} starts it on first use (several seconds, most of it DataNucleus creating the
 * schema) and stops it when the JVM exits. Hive's ObjectStore and DataNucleus keep static state, so a second metastore
 * started in the same JVM after the first was stopped finds no schema; test classes share this one and use their own
 * table names instead.
 *
 * <p>The Thrift server is wired here, like Hive's binary server without SASL or SSL, instead of through {@code
 * HiveMetaStore.startMetaStore}, whose server lives in static fields and cannot be stopped.
 */
public final class HiveMetastoreServer {

    private static HiveMetastoreServer shared;

    private final Path workDir;
    private final TServer server;
    private final ExecutorService workers;
    private final Thread serveThread;
    private final int port;
    private final Duration startUpTime;

    private HiveMetastoreServer(
            Path workDir,
            TServer server,
            ExecutorService workers,
            Thread serveThread,
            int port,
            Duration startUpTime) {
        this.workDir = workDir;
        this.server = server;
        this.workers = workers;
        this.serveThread = serveThread;
        this.port = port;
        this.startUpTime = startUpTime;
    }

    /** This JVM's metastore, started on the first call; its warehouse and database are gone when the JVM exits. */
    public static synchronized HiveMetastoreServer shared() throws Exception {
        if (shared == null) {
            HiveMetastoreServer started = start(Files.createTempDirectory("filesink-hive-metastore"));
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(started::stopQuietly, "test-metastore-shutdown"));
            shared = started;
        }
        return shared;
    }

    private static HiveMetastoreServer start(Path workDir) throws Exception {
        long startNanos = System.nanoTime();
        // Derby writes derby.log into the working directory unless told otherwise.
        if (System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file", workDir.resolve("derby.log").toString());
        }
        Configuration conf = serverConf(workDir);

        HMSHandler baseHandler = new HMSHandler("filesink test metastore", conf);
        IHMSHandler handler = HMSHandlerProxyFactory.getProxy(conf, baseHandler, false);

        TServerSocket socket =
                new TServerSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = socket.getServerSocket().getLocalPort();
        ExecutorService workers =
                new ThreadPoolExecutor(
                        1,
                        16,
                        60,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        runnable -> {
                            Thread thread = new Thread(runnable, "test-metastore-worker");
                            thread.setDaemon(true);
                            return thread;
                        });
        TServer server =
                new TThreadPoolServer(
                        new TThreadPoolServer.Args(socket)
                                .processor(new TSetIpAddressProcessor<>(handler))
                                .protocolFactory(new TBinaryProtocol.Factory())
                                .executorService(workers));
        Thread serveThread = new Thread(server::serve, "test-metastore-" + port);
        serveThread.setDaemon(true);
        serveThread.start();

        HiveMetastoreServer started =
                new HiveMetastoreServer(
                        workDir, server, workers, serveThread, port, Duration.ofNanos(0));
        started.awaitServing();
        // The first client call initializes the Derby schema (DataNucleus autoCreateAll): part of the start-up.
        try (HiveMetaStoreClient client = started.newClient()) {
            client.getAllDatabases();
        }
        return new HiveMetastoreServer(
                workDir,
                server,
                workers,
                serveThread,
                port,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private static Configuration serverConf(Path workDir) {
        Configuration conf = MetastoreConf.newMetastoreConf();
        Path warehouse = workDir.resolve("warehouse");
        // An in-memory Derby database: schema creation writes ~100 tables, which on disk costs seconds of log syncs.
        MetastoreConf.setVar(conf, ConfVars.CONNECT_URL_KEY, derbyUrl(workDir) + ";create=true");
        MetastoreConf.setBoolVar(conf, ConfVars.AUTO_CREATE_ALL, true);
        MetastoreConf.setBoolVar(conf, ConfVars.SCHEMA_VERIFICATION, false);
        MetastoreConf.setVar(conf, ConfVars.WAREHOUSE, warehouse.toUri().toString());
        MetastoreConf.setVar(conf, ConfVars.WAREHOUSE_EXTERNAL, warehouse.resolve("external").toUri().toString());
        // No background compaction, statistics or event threads: only the Thrift API is needed.
        MetastoreConf.setBoolVar(conf, ConfVars.METRICS_ENABLED, false);
        return conf;
    }

    /** One in-memory database per server, named after its (unique) work directory. */
    private static String derbyUrl(Path workDir) {
        return "jdbc:derby:memory:" + workDir.getFileName();
    }

    private void awaitServing() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!server.isServing()) {
            if (!serveThread.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("The test metastore did not start serving on port " + port);
            }
            Thread.sleep(10);
        }
    }

    /** The metastore's Thrift URI, {@code thrift://127.0.0.1:port}. */
    public String uri() {
        return "thrift://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    /** The metastore's warehouse directory (tables without an explicit location go below it). */
    public Path warehouseDir() {
        return workDir.resolve("warehouse");
    }

    /** How long the start took, schema creation included. */
    public Duration startUpTime() {
        return startUpTime;
    }

    /** A client configuration for this metastore, one connection attempt. */
    public Configuration clientConf() {
        Configuration conf = MetastoreConf.newMetastoreConf();
        MetastoreConf.setVar(conf, ConfVars.THRIFT_URIS, uri());
        MetastoreConf.setLongVar(conf, ConfVars.THRIFT_CONNECTION_RETRIES, 1);
        return conf;
    }

    /** A new Thrift client of this metastore, for tests to create tables and read partitions back. */
    public HiveMetaStoreClient newClient() throws Exception {
        return new HiveMetaStoreClient(clientConf());
    }

    /** A loopback Thrift URI on which nothing listens (a metastore that is down). */
    public static String unreachableUri() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "thrift://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + probe.getLocalPort();
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (Exception e) {
            System.err.println("Stopping the test metastore failed: " + e);
        }
    }

    private void stop() throws Exception {
        server.stop();
        serveThread.join(TimeUnit.SECONDS.toMillis(10));
        workers.shutdownNow();
        // Drop the in-memory Derby database; Derby reports success as an exception.
        try {
            java.sql.DriverManager.getConnection(derbyUrl(workDir) + ";drop=true").close();
        } catch (java.sql.SQLException expected) {
            // 08006: the database was dropped.
        }
        deleteRecursively(workDir);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
