using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportSource",
                table: "Comments",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ImportRows",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    SourceId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ThreadKey = table.Column<string>(type: "TEXT", maxLength: 2100, nullable: true),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Identifier = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Closed = table.Column<bool>(type: "INTEGER", nullable: false),
                    ThreadSourceId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ParentSourceId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    AuthorEmail = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    AuthorUrl = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    AuthorKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", nullable: true),
                    Html = table.Column<string>(type: "TEXT", nullable: true),
                    BodyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    WordsHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Round = table.Column<int>(type: "INTEGER", nullable: true),
                    Depth = table.Column<int>(type: "INTEGER", nullable: true),
                    PlacedUnder = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    AnswersId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Skip = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
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
