using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ThreadLastComment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastCommentAt",
                table: "Threads",
                type: "timestamp with time zone",
                nullable: true);

            // Conversations that already exist get the time of their newest public comment, read once here.
            migrationBuilder.Sql("""
                UPDATE "Threads" SET "LastCommentAt" = (
                    SELECT MAX("c"."CreatedAt") FROM "Comments" AS "c" WHERE "c"."ThreadId" = "Threads"."Id" AND "c"."Status" = 'Published');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastCommentAt",
                table: "Threads");
        }
    }
}
