package nl.brieven.opensearch;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node for development and the tests, started in this JVM from the jars on the
 * classpath: no distribution to unpack. Plugins that a distribution loads from its modules/
 * folder are passed as classpath plugins instead (HTTP through Netty, the common analyzers), the
 * way OpenSearch's own test framework starts its nodes. The node is not started through
 * Bootstrap, so there is no security manager, no native checks and no refusal to run as root:
 * this is a local node bound to 127.0.0.1, never a production one.
 *
 * Usage: LocalNode HOME NAME HTTP_PORT TRANSPORT_PORT SEED_PORTS MASTER_NAMES
 *   SEED_PORTS: comma-separated transport ports of the cluster ("-": a single node)
 *   MASTER_NAMES: comma-separated names of the nodes that bootstrap the cluster
 */
public final class LocalNode extends Node {

    private LocalNode(Environment environment, List<Class<? extends Plugin>> plugins) {
        super(environment, plugins, true);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: LocalNode HOME NAME HTTP_PORT TRANSPORT_PORT SEED_PORTS|- MASTER_NAMES");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String name = args[1];
        Settings.Builder settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "brieven-local")
            .put("node.name", name)
            .put("network.host", "127.0.0.1")
            .put("http.port", args[2])
            .put("transport.port", args[3])
            // a development machine's disk is often fuller than the defaults allow for shards
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", false);
        if (args[4].equals("-")) {
            settings.put("discovery.type", "single-node");
        } else {
            List<String> seeds = new java.util.ArrayList<>();
            for (String port : args[4].split(",")) {
                seeds.add("127.0.0.1:" + port);
            }
            settings.putList("discovery.seed_hosts", seeds);
            settings.putList("cluster.initial_cluster_manager_nodes", List.of(args[5].split(",")));
        }
        Settings built = settings.build();
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(name);
        LogConfigurator.configureWithoutConfig(built);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            built, java.util.Collections.emptyMap(), null, () -> name);
        LocalNode node = new LocalNode(environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        node.start();
        System.out.println("brieven: node " + name + " started, http on 127.0.0.1:" + args[2]);
        stopped.await();
    }
}
