using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FollowPeople : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PersonFanouts",
                columns: table => new
                {
                    CommentId = table.Column<long>(type: "bigint", nullable: false),
                    SiteId = table.Column<long>(type: "bigint", nullable: false),
                    ThreadId = table.Column<long>(type: "bigint", nullable: false),
                    PersonId = table.Column<long>(type: "bigint", nullable: false),
                    EventId = table.Column<long>(type: "bigint", nullable: false),
                    NextUserId = table.Column<long>(type: "bigint", nullable: false),
                    Done = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonFanouts", x => x.CommentId);
                    table.ForeignKey(
                        name: "FK_PersonFanouts_Comments_CommentId",
                        column: x => x.CommentId,
                        principalTable: "Comments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PersonFanouts_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PersonFollows",
                columns: table => new
                {
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    PersonId = table.Column<long>(type: "bigint", nullable: false),
                    SiteId = table.Column<long>(type: "bigint", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SinceCommentId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonFollows", x => new { x.UserId, x.PersonId });
                    table.ForeignKey(
                        name: "FK_PersonFollows_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PersonFollows_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PersonFollows_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PersonFanouts_Done_EventId",
                table: "PersonFanouts",
                columns: new[] { "Done", "EventId" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonFanouts_PersonId",
                table: "PersonFanouts",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_PersonFollows_PersonId_State_UserId",
                table: "PersonFollows",
                columns: new[] { "PersonId", "State", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonFollows_SiteId",
                table: "PersonFollows",
                column: "SiteId");

            migrationBuilder.CreateIndex(
                name: "IX_PersonFollows_UserId_SiteId_State",
                table: "PersonFollows",
                columns: new[] { "UserId", "SiteId", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PersonFanouts");

            migrationBuilder.DropTable(
                name: "PersonFollows");
        }
    }
}
