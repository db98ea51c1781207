using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Hearth.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CommentImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ImportId",
                table: "Comments",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportSource",
                table: "Comments",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ImportRows",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    Kind = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    SourceId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ThreadKey = table.Column<string>(type: "character varying(2100)", maxLength: 2100, nullable: true),
                    Url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    Identifier = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Closed = table.Column<bool>(type: "boolean", nullable: false),
                    ThreadSourceId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ParentSourceId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    AuthorName = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    AuthorEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    AuthorUrl = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    AuthorKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "text", nullable: true),
                    Html = table.Column<string>(type: "text", nullable: true),
                    BodyHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    WordsHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Round = table.Column<int>(type: "integer", nullable: true),
                    Depth = table.Column<int>(type: "integer", nullable: true),
                    PlacedUnder = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    AnswersId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Skip = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportRows", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Comments_SiteId_ImportSource_ImportId",
                table: "Comments",
                columns: new[] { "SiteId", "ImportSource", "ImportId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_RunId_Kind_Id",
                table: "ImportRows",
                columns: new[] { "RunId", "Kind", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_RunId_Kind_SourceId",
                table: "ImportRows",
                columns: new[] { "RunId", "Kind", "SourceId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_RunId_ParentSourceId",
                table: "ImportRows",
                columns: new[] { "RunId", "ParentSourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_RunId_Round_Id",
                table: "ImportRows",
                columns: new[] { "RunId", "Round", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ImportRows");

            migrationBuilder.DropIndex(
                name: "IX_Comments_SiteId_ImportSource_ImportId",
                table: "Comments");

            migrationBuilder.DropColumn(
                name: "ImportId",
                table: "Comments");

            migrationBuilder.DropColumn(
                name: "ImportSource",
                table: "Comments");
        }
    }
}
