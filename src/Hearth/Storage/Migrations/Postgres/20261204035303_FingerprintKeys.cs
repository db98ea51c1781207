using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FingerprintKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A day's fingerprints, kept only to compare new comments with: the old rows cannot be read into the new
            // layout (it numbers each band), so the table is made anew, and comments of the day before the upgrade
            // are not compared with. Made anew rather than altered: SQLite would rebuild the table with its foreign
            // keys switched off, outside the migration's transaction.
            migrationBuilder.DropTable(
                name: "SimilarityBands");

            migrationBuilder.CreateTable(
                name: "SimilarityBands",
                columns: table => new
                {
                    CommentId = table.Column<long>(type: "bigint", nullable: false),
                    Band = table.Column<int>(type: "integer", nullable: false),
                    Hash = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SimilarityBands", x => new { x.CommentId, x.Band });
                    table.ForeignKey(
                        name: "FK_SimilarityBands_Comments_CommentId",
                        column: x => x.CommentId,
                        principalTable: "Comments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SimilarityBands_CreatedAt",
                table: "SimilarityBands",
                column: "CreatedAt");

            migrationBuilder.CreateTable(
                name: "SimilarityKeys",
                columns: table => new
                {
                    SiteId = table.Column<long>(type: "bigint", nullable: false),
                    Hash = table.Column<long>(type: "bigint", nullable: false),
                    CommentId = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SimilarityKeys", x => new { x.SiteId, x.Hash, x.CommentId });
                    table.ForeignKey(
                        name: "FK_SimilarityKeys_Comments_CommentId",
                        column: x => x.CommentId,
                        principalTable: "Comments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SimilarityKeys_CommentId",
                table: "SimilarityKeys",
                column: "CommentId");

            migrationBuilder.CreateIndex(
                name: "IX_SimilarityKeys_CreatedAt",
                table: "SimilarityKeys",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SimilarityKeys");

            migrationBuilder.DropTable(
                name: "SimilarityBands");

            migrationBuilder.CreateTable(
                name: "SimilarityBands",
                columns: table => new
                {
                    SiteId = table.Column<long>(type: "bigint", nullable: false),
                    Hash = table.Column<long>(type: "bigint", nullable: false),
                    CommentId = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SimilarityBands", x => new { x.SiteId, x.Hash, x.CommentId });
                    table.ForeignKey(
                        name: "FK_SimilarityBands_Comments_CommentId",
                        column: x => x.CommentId,
                        principalTable: "Comments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SimilarityBands_CommentId",
                table: "SimilarityBands",
                column: "CommentId");

            migrationBuilder.CreateIndex(
                name: "IX_SimilarityBands_CreatedAt",
                table: "SimilarityBands",
                column: "CreatedAt");
        }
    }
}
