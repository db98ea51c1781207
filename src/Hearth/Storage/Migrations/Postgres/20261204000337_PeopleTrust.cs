using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PeopleTrust : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "FirstCommentId",
                table: "People",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastUpheldAt",
                table: "People",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "UpheldReports",
                table: "People",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_People_SiteId_FirstCommentAt",
                table: "People",
                columns: new[] { "SiteId", "FirstCommentAt" });

            // The first comment of everyone counted before it was kept, for the team's list of newcomers.
            migrationBuilder.Sql("""
                UPDATE "People" SET "FirstCommentId" = "f"."Id"
                FROM (SELECT "SiteId", "Author_Key", MIN("Id") AS "Id" FROM "Comments" WHERE "Author_Key" <> '' GROUP BY "SiteId", "Author_Key") AS "f"
                WHERE "People"."SiteId" = "f"."SiteId" AND "People"."Key" = "f"."Author_Key" AND "People"."FirstCommentId" IS NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_SiteId_FirstCommentAt",
                table: "People");

            migrationBuilder.DropColumn(
                name: "FirstCommentId",
                table: "People");

            migrationBuilder.DropColumn(
                name: "LastUpheldAt",
                table: "People");

            migrationBuilder.DropColumn(
                name: "UpheldReports",
                table: "People");
        }
    }
}
