using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ThreadLogPlacesAndChangeBus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ThreadEvents_ThreadId_Id",
                table: "ThreadEvents");

            migrationBuilder.AddColumn<long>(
                name: "EventSeq",
                table: "Threads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "ActorKey",
                table: "ThreadEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthorKey",
                table: "ThreadEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ParentAuthorKey",
                table: "ThreadEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Seq",
                table: "ThreadEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "StatusAfter",
                table: "ThreadEvents",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StatusBefore",
                table: "ThreadEvents",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            // Entries written before places existed keep their old id as their place, and each thread's log continues
            // after its highest: a reader resuming with an id it was sent before gets exactly what followed it.
            migrationBuilder.Sql("UPDATE \"ThreadEvents\" SET \"Seq\" = \"Id\";");
            migrationBuilder.Sql("UPDATE \"Threads\" SET \"EventSeq\" = COALESCE((SELECT MAX(\"Id\") FROM \"ThreadEvents\" WHERE \"ThreadEvents\".\"ThreadId\" = \"Threads\".\"Id\"), 0);");

            migrationBuilder.CreateIndex(
                name: "IX_ThreadEvents_ThreadId_Seq",
                table: "ThreadEvents",
                columns: new[] { "ThreadId", "Seq" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ThreadEvents_ThreadId_Seq",
                table: "ThreadEvents");

            migrationBuilder.DropColumn(
                name: "EventSeq",
                table: "Threads");

            migrationBuilder.DropColumn(
                name: "ActorKey",
                table: "ThreadEvents");

            migrationBuilder.DropColumn(
                name: "AuthorKey",
                table: "ThreadEvents");

            migrationBuilder.DropColumn(
                name: "ParentAuthorKey",
                table: "ThreadEvents");

            migrationBuilder.DropColumn(
                name: "Seq",
                table: "ThreadEvents");

            migrationBuilder.DropColumn(
                name: "StatusAfter",
                table: "ThreadEvents");

            migrationBuilder.DropColumn(
                name: "StatusBefore",
                table: "ThreadEvents");

            migrationBuilder.CreateIndex(
                name: "IX_ThreadEvents_ThreadId_Id",
                table: "ThreadEvents",
                columns: new[] { "ThreadId", "Id" });
        }
    }
}
