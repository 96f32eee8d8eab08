package dev.filesink.hive;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf.ConfVars;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

/**
 * One Thrift client of the metastore, opened lazily and reopened after a connection failure. Each call is retried
 * with exponential backoff while the metastore cannot be reached; any other error is thrown at once. Retrying a call
 * whose effect may already have happened is safe here because {@link HiveMetastorePolicy} reads before it writes.
 */
final class MetastoreConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetastoreConnection.class);

    /** HiveMetaStoreClient's own message when none of the URIs accepted a connection. */
    private static final String CLIENT_CANNOT_CONNECT = "Could not connect to meta store";

    /** One call of the metastore's client. */
    interface Call<T> {
        T apply(IMetaStoreClient client) throws Exception;
    }

    private final MetastoreUris uris;
    private final Map<String, String> clientSettings;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private IMetaStoreClient client;

    MetastoreConnection(
            MetastoreUris uris, Map<String, String> clientSettings, int maxAttempts, Duration initialBackoff) {
        this.uris = uris;
        this.clientSettings = clientSettings;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
    }

    /**
     * Runs {@code call}, retrying it on a new connection while the metastore cannot be reached.
     *
     * @param what what the call does, for the error message, for example "adding partition dt=1 of db.t"
     */
    <T> T call(String what, Call<T> call) throws Exception {
        Duration backoff = initialBackoff;
        Exception lastFailure = null;
        int attempts = 0;
        while (attempts < maxAttempts) {
            if (attempts > 0) {
                LOG.warn(
                        "Hive Metastore at {} unreachable while {} (attempt {} of {}), retrying in {} ms",
                        uris,
                        what,
                        attempts,
                        maxAttempts,
                        backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
            }
            attempts++;
            try {
                return call.apply(client());
            } catch (Exception e) {
                if (!isConnectionFailure(e)) {
                    throw e;
                }
                lastFailure = e;
                closeClient();
            }
        }
        throw new IOException(
                "Hive Metastore at " + uris + " could not be reached while " + what + " (" + attempts + " attempts)",
                lastFailure);
    }

    private IMetaStoreClient client() throws MetaException {
        if (client == null) {
            client = new HiveMetaStoreClient(clientConf());
        }
        return client;
    }

    private Configuration clientConf() {
        // Starts from hive-site.xml / metastore-site.xml on the class path, if any (security settings and the like).
        Configuration conf = MetastoreConf.newMetastoreConf();
        clientSettings.forEach(conf::set);
        MetastoreConf.setVar(conf, ConfVars.THRIFT_URIS, uris.asConfValue());
        // One pass over the URIs per attempt: the backoff between attempts is ours (the client's is whole seconds).
        MetastoreConf.setLongVar(conf, ConfVars.THRIFT_CONNECTION_RETRIES, 1);
        return conf;
    }

    /** The metastore is down or unreachable (rather than refusing the request). */
    static boolean isConnectionFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TTransportException
                    || t instanceof SocketException // refused, reset, broken pipe
                    || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException) {
                return true;
            }
            if (t instanceof MetaException
                    && t.getMessage() != null
                    && t.getMessage().startsWith(CLIENT_CANNOT_CONNECT)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private void closeClient() {
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing a failed Hive Metastore client", e);
            }
            client = null;
        }
    }

    @Override
    public void close() {
        closeClient();
    }
}
