using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EventLogWithoutWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The log and the stored answers kept copies of comments' words; readers now get comments as they are,
            // so the copies go. An answer that does not say which comment it gave cannot be replayed any more.
            migrationBuilder.Sql("DELETE FROM \"IdempotencyRecords\" WHERE \"CommentId\" IS NULL;");

            // SQLite drops a plain column in place (rewriting the table's rows without it), inside the migration's
            // transaction; EF's DropColumn would rebuild the table outside of one.
            migrationBuilder.Sql("ALTER TABLE \"ThreadEvents\" DROP COLUMN \"Data\";");
            migrationBuilder.Sql("ALTER TABLE \"IdempotencyRecords\" DROP COLUMN \"ResponseJson\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Data",
                table: "ThreadEvents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResponseJson",
                table: "IdempotencyRecords",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }
    }
}
