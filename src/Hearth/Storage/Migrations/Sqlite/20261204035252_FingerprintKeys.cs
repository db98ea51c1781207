using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FingerprintKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A day's fingerprints, kept only to compare new comments with: the old layout's rows cannot be read into the
            // new one (it numbers each band), so comments of the last day before the upgrade are not compared with.
            migrationBuilder.Sql("DELETE FROM \"SimilarityBands\";");

            migrationBuilder.DropPrimaryKey(
                name: "PK_SimilarityBands",
                table: "SimilarityBands");

            migrationBuilder.DropIndex(
                name: "IX_SimilarityBands_CommentId",
                table: "SimilarityBands");

            migrationBuilder.RenameColumn(
                name: "SiteId",
                table: "SimilarityBands",
                newName: "Band");

            migrationBuilder.AddPrimaryKey(
                name: "PK_SimilarityBands",
                table: "SimilarityBands",
                columns: new[] { "CommentId", "Band" });

            migrationBuilder.CreateTable(
                name: "SimilarityKeys",
                columns: table => new
                {
                    SiteId = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<long>(type: "INTEGER", nullable: false),
                    CommentId = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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

            migrationBuilder.Sql("DELETE FROM \"SimilarityBands\";");

            migrationBuilder.DropPrimaryKey(
                name: "PK_SimilarityBands",
                table: "SimilarityBands");

            migrationBuilder.RenameColumn(
                name: "Band",
                table: "SimilarityBands",
                newName: "SiteId");

            migrationBuilder.AddPrimaryKey(
                name: "PK_SimilarityBands",
                table: "SimilarityBands",
                columns: new[] { "SiteId", "Hash", "CommentId" });

            migrationBuilder.CreateIndex(
                name: "IX_SimilarityBands_CommentId",
                table: "SimilarityBands",
                column: "CommentId");
        }
    }
}
