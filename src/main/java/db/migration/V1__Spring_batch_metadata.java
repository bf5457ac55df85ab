package db.migration;

import java.sql.Connection;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * Spring Batch's job repository tables, created by Flyway like the rest of the schema. Runs the DDL that ships
 * inside the Spring Batch jar for the database at hand, so the tables always match the library's version.
 */
public class V1__Spring_batch_metadata extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        String product = connection.getMetaData().getDatabaseProductName();
        String platform = switch (product) {
            case "PostgreSQL" -> "postgresql";
            case "H2" -> "h2";
            default -> throw new IllegalStateException("member-sync's state store supports PostgreSQL (and an embedded H2); not " + product);
        };
        ScriptUtils.executeSqlScript(connection, new ClassPathResource("org/springframework/batch/core/schema-" + platform + ".sql"));
    }
}
