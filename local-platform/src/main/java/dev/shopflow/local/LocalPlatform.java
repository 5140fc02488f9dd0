package dev.shopflow.local;

import java.util.Arrays;

/**
 * Entry point of the local-platform jar, called by {@code ./shopflow}:
 * <pre>
 *   db --port P --data DIR --ready-file F [--logical true]   run an embedded PostgreSQL until terminated (logical: wal_level=logical)
 *   wait-ready --timeout S URL...           wait until every service answers /q/health/ready UP
 *   demo --days N --generator URL --analytics URL   generate N days, wait for the publish, print KPIs
 *   soak --seconds S --producers N --ingestion URL --analytics URL --pids DIR --jdbc URL   bench/soak.sh
 * </pre>
 */
public final class LocalPlatform {

    private LocalPlatform() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: local-platform db|wait-ready|demo [options]");
            System.exit(2);
        }
        Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length));
        int exit = switch (args[0]) {
            case "db" -> LocalDatabase.run(options);
            case "wait-ready" -> PlatformClient.waitReady(options);
            case "demo" -> Demo.run(options);
            case "soak" -> Soak.run(options);
            default -> {
                System.err.println("unknown command " + args[0]);
                yield 2;
            }
        };
        System.exit(exit);
    }
}
